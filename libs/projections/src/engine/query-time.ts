import { ReadModelState, positionKnownAt } from './read-model-state';
import { Cut } from './fact-timeline';

/** The two clocks every read-model query takes. */
export interface QueryTime {
  /** Valid time, `YYYY-MM-DD`. */
  asOf: string;
  /** Transaction time, an RFC 3339 instant. */
  knownAt: string;
}

/** What every answer echoes so it can be reproduced: both clocks and the highest position it reflects. */
export interface AnswerEcho {
  asOf: string;
  knownAt: string;
  position: number;
}

/** Parses the query's clocks once; throws RangeError on an unreadable `knownAt` (the API validates first). */
export const cutOf = (time: QueryTime): Cut & { asOf: string } => {
  const knownAtMs = Date.parse(time.knownAt);
  if (Number.isNaN(knownAtMs)) throw new RangeError(`knownAt ${JSON.stringify(time.knownAt)} is not an instant`);
  return { asOf: time.asOf, knownAtMs };
};

export const echoOf = (state: ReadModelState, time: QueryTime, cut: Cut): AnswerEcho => ({
  asOf: time.asOf,
  knownAt: time.knownAt,
  position: positionKnownAt(state, cut.knownAtMs),
});

/**
 * An answer: the echo's fields, then the body's. Assigned onto the echo rather than spread after it because
 * an object literal that starts with a spread is slow on Node 20 (see eslint.config.mjs).
 */
export const answerOf = <Body extends object>(state: ReadModelState, time: QueryTime, cut: Cut, body: Body): AnswerEcho & Body =>
  Object.assign(echoOf(state, time, cut), body);

/** Sums quantities without binary noise (57.4 + 25 is 82.4, not 82.39999999999999). */
export const roundQuantity = (value: number): number => Math.round(value * 1e6) / 1e6;
