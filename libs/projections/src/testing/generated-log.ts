import fc from 'fast-check';
import { DomainEvent, TARIFF_PRODUCTS } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import { streamOf } from './recorded-events';

/** The effective dates a generated log uses: few, so facts share dates and cuts fall between them. */
export const DAYS = ['2024-01-01', '2024-03-15', '2024-06-30', '2024-09-01', '2025-01-01', '2025-06-30', '2025-12-31'];
export const COUNTRIES = ['CN', 'HU', 'US'];
export const ROUTES = ['lfp', 'nmc', 'sodium-ion'];
const STAGES = ['lab', 'pilot', 'engineering-samples', 'mass-production'] as const;
const START_MS = Date.parse('2024-01-01T00:00:00Z');

/** One generated event, by what it is about; indexes pick from the constants above. */
export type Step =
  | { kind: 'company'; company: number; country: number }
  | { kind: 'plant'; plant: number; company: number; country: number; route: number; gwh: number; day: number; started: boolean }
  | { kind: 'plant-step'; plant: number; step: number; gwh: number; day: number }
  | { kind: 'round'; company: number; routes: number[]; day: number }
  | { kind: 'milestone'; route: number; stage: number; day: number }
  | { kind: 'standard'; standard: number; routes: number[]; day: number; stage: boolean }
  | { kind: 'tariff'; measure: number; rate: number; day: number; until: number | null; products: number[] }
  | { kind: 'tariff-step'; measure: number; revoke: boolean; rate: number; day: number; products: number[] | null }
  | { kind: 'amend'; pick: number; retract: boolean; gwh: number; day: number; route: number; company: number };

const day = fc.nat(DAYS.length - 1);
const routes = fc.uniqueArray(fc.nat(ROUTES.length - 1), { minLength: 1, maxLength: 2 });
const rate = fc.integer({ min: 0, max: 1000 }).map((tenths) => tenths / 10);
const STEPS: { [K in Step['kind']]: fc.Arbitrary<Extract<Step, { kind: K }>> } = {
  company: fc.record({ kind: fc.constant('company' as const), company: fc.nat(2), country: fc.nat(2) }),
  plant: fc.record({
    kind: fc.constant('plant' as const),
    plant: fc.nat(4),
    company: fc.nat(2),
    country: fc.nat(2),
    route: fc.nat(2),
    gwh: fc.integer({ min: 1, max: 40 }),
    day,
    started: fc.boolean(),
  }),
  'plant-step': fc.record({ kind: fc.constant('plant-step' as const), plant: fc.nat(4), step: fc.nat(5), gwh: fc.integer({ min: 1, max: 20 }), day }),
  round: fc.record({ kind: fc.constant('round' as const), company: fc.nat(2), routes, day }),
  milestone: fc.record({ kind: fc.constant('milestone' as const), route: fc.nat(2), stage: fc.nat(3), day }),
  standard: fc.record({ kind: fc.constant('standard' as const), standard: fc.nat(1), routes, day, stage: fc.boolean() }),
  tariff: fc.record({
    kind: fc.constant('tariff' as const),
    measure: fc.nat(2),
    rate,
    day,
    until: fc.option(day, { nil: null }),
    products: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }),
  }),
  'tariff-step': fc.record({
    kind: fc.constant('tariff-step' as const),
    measure: fc.nat(2),
    revoke: fc.boolean(),
    rate,
    day,
    products: fc.option(fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 2 }), { nil: null }),
  }),
  amend: fc.record({
    kind: fc.constant('amend' as const),
    pick: fc.nat(),
    retract: fc.boolean(),
    gwh: fc.integer({ min: 1, max: 20 }),
    day,
    route: fc.nat(2),
    company: fc.nat(2),
  }),
};

/** Steps of the given kinds, each kind as likely as the others. */
export const stepOf = (...kinds: Step['kind'][]): fc.Arbitrary<Step> => fc.oneof(...kinds.map((kind) => STEPS[kind] as fc.Arbitrary<Step>));

/**
 * Turns steps into a log in position order, record times an hour apart; with `lags`, an event's record
 * time lags by lags[i % length] hours, so record times across streams may go backwards (each stream's
 * are clamped on apply). An amendment targets an earlier fact, with changes that fit its type (a plant's
 * correction may move it to another route or company).
 */
export const toLog = (steps: Step[], lags: number[] = []): StoredEvent[] => {
  const events: StoredEvent[] = [];
  const revisions = new Map<string, number>();
  const push = (event: DomainEvent, streamId = streamOf(event)): void => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const lag = lags.length === 0 ? 0 : lags[events.length % lags.length];
    const recordedAt = new Date(START_MS + (events.length - lag) * 3_600_000).toISOString();
    events.push({ eventId: `e${events.length + 1}`, streamId, revision, position: events.length + 1, type: event.type, data: event.data, metadata: { recordedAt }, recordedAt });
  };
  const products = (indexes: number[]) => indexes.map((i) => TARIFF_PRODUCTS[i]);
  for (const s of steps) {
    switch (s.kind) {
      case 'company':
        push({ type: 'CompanyRegistered', data: { companyId: `c${s.company}`, name: `C${s.company}`, headquartersCountry: COUNTRIES[s.country], aliases: [], segments: [] } });
        break;
      case 'plant':
        push({
          type: 'CapacityAnnounced',
          data: {
            plantId: `p${s.plant}`,
            companyId: `c${s.company}`,
            country: COUNTRIES[s.country],
            technologyRoute: ROUTES[s.route],
            plannedCapacityGwh: s.gwh,
            announcedOn: DAYS[s.day],
            status: s.started ? 'under-construction' : 'announced',
            partners: [],
          },
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
          data: {
            companyId: `c${s.company}`,
            roundId: `r${events.length}`,
            roundType: 'b',
            amount: { value: 5, currency: 'CNY', qualifier: 'about' },
            closedOn: DAYS[s.day],
            investors: [],
            technologyRoutes: s.routes.map((i) => ROUTES[i]),
          },
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
      case 'tariff':
        push({
          type: 'TariffMeasureImposed',
          data: {
            measureId: `t${s.measure}`,
            importer: 'US',
            origin: 'CN',
            products: products(s.products),
            measureType: 'other',
            ratePercent: s.rate,
            effectiveFrom: DAYS[s.day],
            ...(s.until !== null && DAYS[s.until] > DAYS[s.day] ? { effectiveUntil: DAYS[s.until] } : {}),
            announcedOn: DAYS[s.day],
          },
        });
        break;
      case 'tariff-step':
        push(
          s.revoke
            ? { type: 'TariffMeasureRevoked', data: { measureId: `t${s.measure}`, effectiveFrom: DAYS[s.day] } }
            : {
                type: 'TariffRateChanged',
                data: { measureId: `t${s.measure}`, ratePercent: s.rate, effectiveFrom: DAYS[s.day], ...(s.products ? { products: products(s.products) } : {}) },
              },
        );
        break;
      case 'amend': {
        const facts = events.filter((event) => event.type !== 'FactCorrected' && event.type !== 'FactRetracted');
        if (facts.length === 0) break;
        const target = facts[s.pick % facts.length];
        push(
          s.retract
            ? { type: 'FactRetracted', data: { eventId: target.eventId, retractedType: target.type, reason: 'p' } }
            : { type: 'FactCorrected', data: { eventId: target.eventId, correctedType: target.type, changes: changesOf(target, s), reason: 'p' } },
          target.streamId,
        );
        break;
      }
    }
  }
  return events;
};

const changesOf = (target: StoredEvent, s: Extract<Step, { kind: 'amend' }>): Record<string, unknown> => {
  switch (target.type) {
    case 'PlantCommissioned':
      return { capacityGwh: s.gwh, commissionedOn: DAYS[s.day] };
    case 'CapacityAnnounced':
      return {
        plannedCapacityGwh: s.gwh,
        announcedOn: DAYS[s.day],
        ...(s.gwh % 3 === 0 ? { technologyRoute: ROUTES[s.route] } : {}),
        ...(s.gwh % 4 === 0 ? { companyId: `c${s.company}` } : {}),
      };
    case 'FinancingRoundClosed':
    case 'StandardRegistered':
      return { technologyRoutes: [ROUTES[s.route]] };
    case 'TechnologyMilestoneReached':
      return { achievedOn: DAYS[s.day], technologyRoute: ROUTES[s.route] };
    case 'TariffMeasureImposed':
    case 'TariffRateChanged':
      return { ratePercent: s.gwh, ...(s.gwh % 2 === 0 ? { effectiveFrom: DAYS[s.day] } : {}) };
    default:
      return {};
  }
};
