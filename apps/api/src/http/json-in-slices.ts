import { Readable } from 'node:stream';
import { paceInSlices } from '@bsc/projections';

const PIECE_LENGTH = 64 * 1024;

/**
 * The JSON text of a plain answer, exactly what `JSON.stringify` gives, in pieces of about `pieceLength`
 * characters: its objects member by member and their arrays (a list's rows, also inside a wrapper such
 * as a replay's `result`) an element at a time, each element whole.
 */
export function* jsonPieces(answer: object, pieceLength = PIECE_LENGTH): Generator<string, void, undefined> {
  let piece = '';
  function* members(value: object): Generator<string, void, undefined> {
    piece += '{';
    let separator = '';
    for (const [key, member] of Object.entries(value)) {
      if (Array.isArray(member)) {
        piece += `${separator}${JSON.stringify(key)}:[`;
        for (let i = 0; i < member.length; i++) {
          // In an array JSON.stringify writes null for what it leaves out of an object.
          piece += `${i === 0 ? '' : ','}${(JSON.stringify(member[i]) as string | undefined) ?? 'null'}`;
          if (piece.length >= pieceLength) {
            yield piece;
            piece = '';
          }
        }
        piece += ']';
      } else if (isWalkable(member)) {
        piece += `${separator}${JSON.stringify(key)}:`;
        yield* members(member);
      } else {
        const text = JSON.stringify(member) as string | undefined;
        // Left out, as JSON.stringify leaves them out: undefined, functions, symbols.
        if (text === undefined) continue;
        piece += `${separator}${JSON.stringify(key)}:${text}`;
      }
      separator = ',';
    }
    piece += '}';
  }
  yield* members(answer);
  yield piece;
}

/** An object JSON.stringify writes member by member: not null, not an array, no `toJSON` of its own (a Date). */
const isWalkable = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function';

/**
 * A long answer (megabytes at a million events) as a stream of its JSON text, made `sliceMs` at a time
 * between other requests, instead of one `JSON.stringify` that holds the event loop for a fifth of a
 * second. Sent as the body (see `StreamableFile`), it is the same text, chunked, without a Content-Length.
 */
export const jsonStreamInSlices = (answer: object, sliceMs: number): Readable => Readable.from(paceInSlices(jsonPieces(answer), sliceMs));

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
