import fc from 'fast-check';
import { BUILT_IN_ROUTES, DomainEvent, RouteFamily } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import { cutOf } from '../engine/query-time';
import { ReadModelState, apply, createState, rebuildFromEvents } from '../engine/read-model-state';
import { streamOf } from '../testing/recorded-events';
import { RouteEntry, startRouteIndex } from './route-index';
import { routeAtStraight, technologyRouteTimeline } from './technology-routes.read-model';

const DAYS = ['2024-01-01', '2024-03-15', '2024-06-30', '2025-01-01', '2025-12-31'];
const ROUTES = ['lfp', 'nmc', 'sodium-ion'];
const START_MS = Date.parse('2024-01-01T00:00:00Z');

type Step =
  | { kind: 'company'; company: number }
  | { kind: 'plant'; plant: number; company: number; route: number; gwh: number; day: number }
  | { kind: 'plant-step'; plant: number; step: number; gwh: number; day: number }
  | { kind: 'round'; company: number; routes: number[]; day: number }
  | { kind: 'milestone'; route: number; stage: number; day: number }
  | { kind: 'standard'; standard: number; routes: number[]; day: number; stage: boolean }
  | { kind: 'amend'; pick: number; retract: boolean; gwh: number; day: number; route: number; company: number };

const day = fc.nat(DAYS.length - 1);
const routes = fc.uniqueArray(fc.nat(ROUTES.length - 1), { minLength: 1, maxLength: 2 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('company' as const), company: fc.nat(2) }),
  fc.record({ kind: fc.constant('plant' as const), plant: fc.nat(4), company: fc.nat(2), route: fc.nat(2), gwh: fc.integer({ min: 1, max: 40 }), day }),
  fc.record({ kind: fc.constant('plant-step' as const), plant: fc.nat(4), step: fc.nat(5), gwh: fc.integer({ min: 1, max: 20 }), day }),
  fc.record({ kind: fc.constant('round' as const), company: fc.nat(2), routes, day }),
  fc.record({ kind: fc.constant('milestone' as const), route: fc.nat(2), stage: fc.nat(3), day }),
  fc.record({ kind: fc.constant('standard' as const), standard: fc.nat(1), routes, day, stage: fc.boolean() }),
  fc.record({ kind: fc.constant('amend' as const), pick: fc.nat(), retract: fc.boolean(), gwh: fc.integer({ min: 1, max: 20 }), day, route: fc.nat(2), company: fc.nat(2) }),
);
const STAGES = ['lab', 'pilot', 'engineering-samples', 'mass-production'] as const;

/** A log in position order whose record times may lag across streams (each stream's are clamped on apply). */
const toLog = (steps: Step[], lags: number[]): StoredEvent[] => {
  const events: StoredEvent[] = [];
  const revisions = new Map<string, number>();
  const push = (event: DomainEvent, streamId = streamOf(event)): void => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const lag = lags.length === 0 ? 0 : lags[events.length % lags.length];
    const recordedAt = new Date(START_MS + (events.length - lag) * 3_600_000).toISOString();
    events.push({ eventId: `e${events.length + 1}`, streamId, revision, position: events.length + 1, type: event.type, data: event.data, metadata: { recordedAt }, recordedAt });
  };
  for (const s of steps) {
    switch (s.kind) {
      case 'company':
        push({ type: 'CompanyRegistered', data: { companyId: `c${s.company}`, name: `C${s.company}`, headquartersCountry: 'CN', aliases: [], segments: [] } });
        break;
      case 'plant':
        push({
          type: 'CapacityAnnounced',
          data: { plantId: `p${s.plant}`, companyId: `c${s.company}`, country: 'HU', technologyRoute: ROUTES[s.route], plannedCapacityGwh: s.gwh, announcedOn: DAYS[s.day], status: 'announced', partners: [] },
        });
        break;
      case 'plant-step': {
        const plantId = `p${s.plant}`;
        const on = DAYS[s.day];
        const events: DomainEvent[] = [
          { type: 'PlantConstructionStarted', data: { plantId, startedOn: on } },
          { type: 'PlantCommissioned', data: { plantId, commissionedOn: on, capacityGwh: s.gwh } },
          { type: 'PlantCapacityRevised', data: { plantId, revisedOn: on, plannedCapacityGwh: s.gwh * 2 } },
          { type: 'PlantSuspended', data: { plantId, on } },
          { type: 'PlantResumed', data: { plantId, on } },
          { type: 'PlantCancelled', data: { plantId, on } },
        ];
        push(events[s.step]);
        break;
      }
      case 'round':
        push({
          type: 'FinancingRoundClosed',
          data: { companyId: `c${s.company}`, roundId: `r${events.length}`, roundType: 'b', amount: { value: 5, currency: 'CNY', qualifier: 'about' }, closedOn: DAYS[s.day], investors: [], technologyRoutes: s.routes.map((i) => ROUTES[i]) },
        } as DomainEvent);
        break;
      case 'milestone':
        push({
          type: 'TechnologyMilestoneReached',
          data: { milestoneId: `m${events.length}`, technologyRoute: ROUTES[s.route], stage: STAGES[s.stage], achievedOn: DAYS[s.day], description: 'm', metrics: [] },
        } as DomainEvent);
        break;
      case 'standard':
        push(
          s.stage
            ? ({ type: 'StandardStageChanged', data: { standardId: `s${s.standard}`, stage: 'public-comment', on: DAYS[s.day] } } as DomainEvent)
            : ({
                type: 'StandardRegistered',
                data: { standardId: `s${s.standard}`, title: 'S', issuer: 'MIIT', jurisdiction: 'CN', technologyRoutes: s.routes.map((i) => ROUTES[i]), requirements: [], stage: 'drafting', on: DAYS[s.day] },
              } as DomainEvent),
        );
        break;
      case 'amend': {
        const facts = events.filter((event) => event.type !== 'FactCorrected' && event.type !== 'FactRetracted');
        if (facts.length === 0) break;
        const target = facts[s.pick % facts.length];
        const changes: Record<string, unknown> =
          target.type === 'PlantCommissioned'
            ? { capacityGwh: s.gwh, commissionedOn: DAYS[s.day] }
            : target.type === 'CapacityAnnounced'
              ? { plannedCapacityGwh: s.gwh, announcedOn: DAYS[s.day], ...(s.gwh % 3 === 0 ? { technologyRoute: ROUTES[s.route] } : {}), ...(s.gwh % 4 === 0 ? { companyId: `c${s.company}` } : {}) }
              : target.type === 'FinancingRoundClosed' || target.type === 'StandardRegistered'
                ? { technologyRoutes: [ROUTES[s.route]] }
                : target.type === 'TechnologyMilestoneReached'
                  ? { achievedOn: DAYS[s.day], technologyRoute: ROUTES[s.route] }
                  : {};
        push(
          s.retract
            ? { type: 'FactRetracted', data: { eventId: target.eventId, retractedType: target.type, reason: 'p' } }
            : { type: 'FactCorrected', data: { eventId: target.eventId, correctedType: target.type, changes, reason: 'p' } },
          target.streamId,
        );
        break;
      }
    }
  }
  return events;
};

/** Mostly with the companies registered first, as the write path's reference checks make it. */
const history = fc
  .tuple(fc.boolean(), fc.array(step, { minLength: 1, maxLength: 50 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 5 }))
  .map(([registeredFirst, steps, lags]) => toLog([...(registeredFirst ? [0, 1, 2].map((company) => ({ kind: 'company' as const, company })) : []), ...steps], lags))
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
