import fc from 'fast-check';
import { BUILT_IN_ROUTES, RouteFamily } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import { cutOf } from '../engine/query-time';
import { ReadModelState, apply, createState, rebuildFromEvents } from '../engine/read-model-state';
import { ROUTES, stepOf, toLog } from '../testing/generated-log';
import { RouteEntry, startRouteIndex } from './route-index';
import { routeAtStraight, technologyRouteTimeline } from './technology-routes.read-model';

const step = stepOf('company', 'plant', 'plant-step', 'round', 'milestone', 'standard', 'amend');

/** Mostly with the companies registered first, as the write path's reference checks make it. */
const history = fc
  .tuple(fc.boolean(), fc.array(step, { minLength: 1, maxLength: 50 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 5 }))
  .map(([registeredFirst, steps, lags]) => toLog([...(registeredFirst ? [0, 1, 2].map((company) => ({ kind: 'company' as const, company, country: 0 })) : []), ...steps], lags))
  .filter((events) => events.length > 0);

const QUERY_DAYS = ['2023-12-31', '2024-03-15', '2024-09-01', '2025-12-31'];

/** Every entry through pages of `limit`, following `nextCursor`. */
const allPages = (state: ReadModelState, routeId: string, time: { asOf: string; knownAt: string }, limit: number) => {
  const first = technologyRouteTimeline(state, routeId, time, { limit })!;
  const entries: RouteEntry[] = [...first.entries];
  for (let page = first; page.nextCursor !== null; ) {
    page = technologyRouteTimeline(state, routeId, time, { limit, cursor: page.nextCursor })!;
    entries.push(...page.entries);
  }
  return { ...first, entries, nextCursor: null };
};

/** The indexed answers (paged) against the straightforward computation, for every route, valid time and some knownAts. */
const expectIndexedEqualsStraight = (state: ReadModelState, events: StoredEvent[], limit: number): void => {
  const knownAts = [...new Set([events[0].recordedAt, events[Math.floor(events.length / 2)].recordedAt, events.at(-1)!.recordedAt, '2100-01-01T00:00:00Z'])];
  for (const knownAt of knownAts) {
    for (const asOf of QUERY_DAYS) {
      for (const routeId of ROUTES) {
        const time = { asOf, knownAt };
        const { summary, entries } = routeAtStraight(state, routeId, BUILT_IN_ROUTES[routeId] as RouteFamily, cutOf(time));
        const { asOf: _a, knownAt: _k, position: _p, nextCursor: _n, ...indexed } = allPages(state, routeId, time, limit);
        expect(indexed).toEqual({ ...summary, entries });
      }
    }
  }
};

describe('route index', () => {
  it('answers as the straightforward computation at any (asOf, knownAt), page by page', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 1, max: 4 }), (events, limit) => {
        expectIndexedEqualsStraight(rebuildFromEvents(events), events, limit);
      }),
      { numRuns: 150 },
    );
  });

  it('kept current by apply after it was built, answers as one built over the whole log', () => {
    fc.assert(
      fc.property(history, fc.nat(), (events, cut) => {
        const split = cut % (events.length + 1);
        const state = createState();
        for (const event of events.slice(0, split)) apply(state, event);
        technologyRouteTimeline(state, 'lfp', { asOf: '2025-12-31', knownAt: '2100-01-01T00:00:00Z' });
        for (const event of events.slice(split)) apply(state, event);

        expectIndexedEqualsStraight(state, events, 1000);
      }),
      { numRuns: 150 },
    );
  });

  it('built in slices while events are applied, answers as the straightforward computation before and after it is ready', () => {
    fc.assert(
      fc.property(history, fc.nat(), fc.nat(), (events, a, b) => {
        const [start, ready] = [a % (events.length + 1), b % (events.length + 1)].sort((x, y) => x - y);
        const state = createState();
        for (const event of events.slice(0, start)) apply(state, event);
        const index = startRouteIndex(state);
        // One stream or queued event per step (no time budget): the build interleaves with apply event by event.
        for (const event of events.slice(start, ready)) {
          index.step(0);
          apply(state, event);
        }
        expectIndexedEqualsStraight(state, events, 3);
        while (!index.step(0));
        for (const event of events.slice(ready)) apply(state, event);

        expect(index.ready).toBe(true);
        expectIndexedEqualsStraight(state, events, 1000);
      }),
      { numRuns: 150 },
    );
  });

  it('filters entries by date window and kind as the straightforward computation does', () => {
    const KINDS = ['capacity-announcement', 'construction-start', 'commissioning', 'financing-round', 'standard-stage', 'milestone'] as const;
    fc.assert(
      fc.property(history, fc.constantFrom(...QUERY_DAYS), fc.constantFrom(...QUERY_DAYS), fc.option(fc.constantFrom(...KINDS), { nil: undefined }), (events, d1, d2, kind) => {
        const state = rebuildFromEvents(events);
        const [from, to] = [d1, d2].sort();
        for (const routeId of ROUTES) {
          const time = { asOf: '2025-06-30', knownAt: '2100-01-01T00:00:00Z' };
          const { entries } = routeAtStraight(state, routeId, BUILT_IN_ROUTES[routeId] as RouteFamily, cutOf(time));
          const answer = technologyRouteTimeline(state, routeId, time, { from, to, kind, limit: 1000 })!;
          expect(answer.entries).toEqual(entries.filter((entry) => entry.on >= from && entry.on <= to && (kind === undefined || entry.kind === kind)));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a cursor it did not make', () => {
    const state = rebuildFromEvents(toLog([{ kind: 'milestone', route: 0, stage: 1, day: 0 }], []));
    expect(() => technologyRouteTimeline(state, 'lfp', { asOf: '2025-12-31', knownAt: '2100-01-01T00:00:00Z' }, { cursor: 'bm90LWEtY3Vyc29y' })).toThrow(RangeError);
  });
});
