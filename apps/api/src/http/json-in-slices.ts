import { Readable } from 'node:stream';
import { paceInSlices } from '@bsc/projections';

const PIECE_LENGTH = 64 * 1024;

/** An array element's text as `JSON.stringify` writes it inside an array: null for what it leaves out of an object. */
const elementJson = (element: unknown): string => (JSON.stringify(element) as string | undefined) ?? 'null';

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
          piece += `${i === 0 ? '' : ','}${elementJson(member[i])}`;
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

/**
 * Texts of array elements that read models keep and share between answers, never changing them (a route
 * timeline's rendered entries, see `RouteIndex.rendered`): each is written once.
 * Keyed by the object itself, so a text goes when its element does.
 */
const sharedTexts = new WeakMap<object, string>();

const sharedElementJson = (element: unknown): string => {
  if (typeof element !== 'object' || element === null) return elementJson(element);
  let text = sharedTexts.get(element);
  if (text === undefined) sharedTexts.set(element, (text = elementJson(element)));
  return text;
};

/**
 * The JSON text of an answer whose top-level arrays hold such shared, unchanging elements, exactly what
 * `JSON.stringify` gives, with each element's text reused from earlier answers. Making the text was a
 * fifth of a server's time on a route timeline load, more than computing the page (profile, 2026-12-07);
 * with the texts kept, the server spent 240–248 instead of 323–493 µs of CPU per answer (alternating
 * runs at a million events). Tried on a company's plant rows too: no difference there, so not used.
 * Joined, not appended piece by piece as `jsonPieces` does: a text appended from a hundred kept texts is
 * a tree of string pieces pointing into the old generation, and with it every young-generation
 * collection took 9–12 instead of ~3 ms (--trace-gc, route timeline load at a million events).
 */
export const jsonOfSharedElements = (answer: object): string => {
  const members: string[] = [];
  for (const [key, member] of Object.entries(answer)) {
    const text = Array.isArray(member) ? `[${member.map(sharedElementJson).join(',')}]` : (JSON.stringify(member) as string | undefined);
    // Left out, as JSON.stringify leaves them out: undefined, functions, symbols.
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
};
