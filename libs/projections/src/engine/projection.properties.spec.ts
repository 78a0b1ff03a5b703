import fc from 'fast-check';
import { DomainEvent, TARIFF_PRODUCTS } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import { companyCapacity } from '../company-capacity/company-capacity.read-model';
import { overseasExpansion } from '../overseas-expansion/overseas-expansion.read-model';
import { effectiveTariff } from '../tariffs/effective-tariff.read-model';
import { streamOf } from '../testing/recorded-events';
import { ReadModelState, apply, deserialize, rebuildFromEvents, serialize } from './read-model-state';

const DAYS = ['2024-01-01', '2024-03-15', '2024-06-30', '2024-09-01', '2025-01-01', '2025-06-30', '2025-12-31'];
const COUNTRIES = ['CN', 'HU', 'US'];
const ROUTES = ['lfp', 'nmc', 'sodium-ion'];
const START_MS = Date.parse('2024-01-01T00:00:00Z');

type Step =
  | { kind: 'company'; company: number; country: number }
  | { kind: 'plant'; plant: number; company: number; country: number; route: number; gwh: number; day: number; started: boolean }
  | { kind: 'plant-step'; plant: number; step: number; gwh: number; day: number }
  | { kind: 'tariff'; measure: number; rate: number; day: number; until: number | null; products: number[] }
  | { kind: 'tariff-step'; measure: number; revoke: boolean; rate: number; day: number; products: number[] | null }
  | { kind: 'amend'; pick: number; retract: boolean; gwh: number; day: number };

const day = fc.integer({ min: 0, max: DAYS.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('company' as const), company: fc.nat(2), country: fc.nat(2) }),
  fc.record({
    kind: fc.constant('plant' as const),
    plant: fc.nat(4),
    company: fc.nat(2),
    country: fc.nat(2),
    route: fc.nat(2),
    gwh: fc.integer({ min: 1, max: 40 }),
    day,
    started: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('plant-step' as const), plant: fc.nat(4), step: fc.nat(5), gwh: fc.integer({ min: 1, max: 20 }), day }),
  fc.record({
    kind: fc.constant('tariff' as const),
    measure: fc.nat(2),
    rate: fc.integer({ min: 0, max: 1000 }).map((tenths) => tenths / 10),
    day,
    until: fc.option(day, { nil: null }),
    products: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('tariff-step' as const),
    measure: fc.nat(2),
    revoke: fc.boolean(),
    rate: fc.integer({ min: 0, max: 1000 }).map((tenths) => tenths / 10),
    day,
    products: fc.option(fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 2 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('amend' as const), pick: fc.nat(), retract: fc.boolean(), gwh: fc.integer({ min: 1, max: 20 }), day }),
);

/** Turns steps into a log with strictly increasing record times (one hour apart) and consecutive positions. */
const toLog = (steps: Step[]): StoredEvent[] => {
  const events: StoredEvent[] = [];
  const revisions = new Map<string, number>();
  const push = (event: DomainEvent, streamId = streamOf(event)): void => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    const recordedAt = new Date(START_MS + events.length * 3_600_000).toISOString();
    events.push({
      eventId: `e${events.length + 1}`,
      streamId,
      revision,
      position: events.length + 1,
      type: event.type,
      data: event.data,
      metadata: { recordedAt },
      recordedAt,
    });
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
        const changes: Record<string, unknown> =
          target.type === 'PlantCommissioned'
            ? { capacityGwh: s.gwh, commissionedOn: DAYS[s.day] }
            : target.type === 'CapacityAnnounced'
              ? { plannedCapacityGwh: s.gwh, announcedOn: DAYS[s.day] }
              : target.type === 'TariffMeasureImposed' || target.type === 'TariffRateChanged'
                ? { ratePercent: s.gwh }
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

const history = fc.array(step, { minLength: 1, maxLength: 60 }).map(toLog).filter((events) => events.length > 0);

const QUERY_DAYS = ['2023-12-31', '2024-06-30', '2025-03-31', '2026-01-01'];

/** A battery of answers at one knownAt, across read models and valid times. */
const answers = (state: ReadModelState, knownAt: string) =>
  QUERY_DAYS.map((asOf) => ({
    capacity: companyCapacity(state, { asOf, knownAt }),
    overseas: overseasExpansion(state, { asOf, knownAt }),
    tariffs: TARIFF_PRODUCTS.slice(0, 3).map((product) => effectiveTariff(state, { asOf, knownAt }, { importer: 'US', origin: 'CN', product })),
  }));

const LATEST = '2100-01-01T00:00:00Z';

/** Answers with every `position` echo removed, for comparing logs whose positions differ. */
const withoutPositions = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, item) => (key === 'position' ? undefined : item));

describe('projection properties', () => {
  it('an incremental projection through a checkpoint equals a rebuild from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.nat(), async (events, cut) => {
        const split = cut % (events.length + 1);
        const before = rebuildFromEvents(events.slice(0, split));
        const restored = await deserialize(serialize(before));
        for (const event of events.slice(split)) apply(restored, event);
        const rebuilt = rebuildFromEvents(events);

        expect([...serialize(restored)]).toEqual([...serialize(rebuilt)]);
        expect(answers(restored, LATEST)).toEqual(answers(rebuilt, LATEST));
      }),
      { numRuns: 100 },
    );
  });

  it('the answer known at the record time of event N equals the answer from the first N events alone', () => {
    fc.assert(
      fc.property(history, fc.nat(), (events, pick) => {
        const n = (pick % events.length) + 1;
        const knownAt = events[n - 1].recordedAt;

        expect(answers(rebuildFromEvents(events), knownAt)).toEqual(answers(rebuildFromEvents(events.slice(0, n)), knownAt));
      }),
      { numRuns: 100 },
    );
  });

  it('interleaving streams differently, each in its own order and with its record times, changes no answer', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (events, choices) => {
        const queues = new Map<string, StoredEvent[]>();
        for (const event of events) queues.set(event.streamId, [...(queues.get(event.streamId) ?? []), event]);
        const remaining = [...queues.values()];
        const shuffled: StoredEvent[] = [];
        for (let i = 0; remaining.length > 0; i++) {
          const at = choices[i % choices.length] % remaining.length;
          shuffled.push({ ...remaining[at].shift()!, position: shuffled.length + 1 });
          if (remaining[at].length === 0) remaining.splice(at, 1);
        }
        const original = rebuildFromEvents(events);
        const reordered = rebuildFromEvents(shuffled);
        const knownAts = [events[Math.floor(events.length / 2)].recordedAt, LATEST];

        for (const knownAt of knownAts) {
          expect(withoutPositions(answers(reordered, knownAt))).toEqual(withoutPositions(answers(original, knownAt)));
        }
      }),
      { numRuns: 100 },
    );
  });
});
