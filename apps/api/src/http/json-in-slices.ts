import { Readable } from 'node:stream';
import { paceInSlices } from '@bsc/projections';

const PIECE_LENGTH = 64 * 1024;

/**
 * The JSON text of a plain answer, exactly what `JSON.stringify` gives, in pieces of about `pieceLength`
 * characters: its top-level arrays (a list's rows) an element at a time, everything else whole.
 */
export function* jsonPieces(answer: object, pieceLength = PIECE_LENGTH): Generator<string, void, undefined> {
  let piece = '{';
  let separator = '';
  for (const [key, value] of Object.entries(answer)) {
    if (Array.isArray(value)) {
      piece += `${separator}${JSON.stringify(key)}:[`;
      for (let i = 0; i < value.length; i++) {
        // In an array JSON.stringify writes null for what it leaves out of an object.
        piece += `${i === 0 ? '' : ','}${(JSON.stringify(value[i]) as string | undefined) ?? 'null'}`;
        if (piece.length >= pieceLength) {
          yield piece;
          piece = '';
        }
      }
      piece += ']';
    } else {
      const text = JSON.stringify(value) as string | undefined;
      // Left out, as JSON.stringify leaves them out: undefined, functions, symbols.
      if (text === undefined) continue;
      piece += `${separator}${JSON.stringify(key)}:${text}`;
    }
    separator = ',';
  }
  yield `${piece}}`;
}

/**
 * A long answer (megabytes at a million events) as a stream of its JSON text, made `sliceMs` at a time
 * between other requests, instead of one `JSON.stringify` that holds the event loop for a fifth of a
 * second. Sent as the body (see `StreamableFile`), it is the same text, chunked, without a Content-Length.
 */
export const jsonStreamInSlices = (answer: object, sliceMs: number): Readable => Readable.from(paceInSlices(jsonPieces(answer), sliceMs));

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
