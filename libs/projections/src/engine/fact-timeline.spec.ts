import fc from 'fast-check';
import { DomainEvent } from '@bsc/domain';
import {
  KeptStates,
  NOT_A_DAY,
  byEffectiveDate,
  dayKey,
  factsAt,
  factsByEffectiveDate,
  foldByEffectiveDate,
  foldLatestByEffectiveDate,
  shallowCopy,
} from './fact-timeline';
import { PlantAt, foldPlant } from '../company-capacity/plant-state';
import { amendmentsOf, apply, createState, locateEvent, positionKnownAt } from './read-model-state';
import { DAYS, stepOf, toLog } from '../testing/generated-log';
import { EventLog, announce, at, commission, startConstruction } from '../testing/recorded-events';

describe('bitemporal fact timeline', () => {
  const cutAt = (asOf: string | undefined, knownAt: string) => ({ asOf, knownAtMs: Date.parse(knownAt) });

  it('selects facts recorded by knownAt and effective by asOf', () => {
    const log = new EventLog();
    log.record(announce({ plantId: 'p1', companyId: 'c1', announcedOn: '2024-01-01' }), at('2024-01-02'));
    log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
    log.record(commission('p1', '2023-06-01', 1), at('2026-01-01'));
    const timeline = log.state().entities.get('plant-p1');

    expect(factsAt(timeline, cutAt('2024-12-31', at('2025-01-01'))).map((f) => f.event.type)).toEqual([
      'CapacityAnnounced',
      'PlantCommissioned',
    ]);
    expect(factsAt(timeline, cutAt('2024-03-01', at('2026-02-01'))).map((f) => f.effectiveOn)).toEqual(['2024-01-01', '2023-06-01']);
    expect(factsAt(timeline, cutAt(undefined, at('2024-01-01')))).toEqual([]);
  });

  it('merges corrections known at knownAt, later ones winning, and recomputes the effective date', () => {
    const log = new EventLog();
    const commissioned = log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
    log.correct(commissioned, { commissionedOn: '2025-02-01' }, at('2024-07-01'));
    log.correct(commissioned, { capacityGwh: 5 }, at('2024-08-01'));
    const timeline = log.state().entities.get('plant-p1');

    expect(factsAt(timeline, cutAt(undefined, at('2024-06-15')))[0].event.data).toMatchObject({ capacityGwh: 4, commissionedOn: '2024-06-01' });
    expect(factsAt(timeline, cutAt('2024-12-31', at('2024-07-15')))).toEqual([]);
    const selected = factsAt(timeline, cutAt('2025-12-31', at('2024-09-01')));
    expect(selected[0]).toMatchObject({ effectiveOn: '2025-02-01', corrected: true });
    expect(selected[0].event.data).toMatchObject({ capacityGwh: 5, commissionedOn: '2025-02-01' });
  });

  it('drops a retracted fact only from answers known after the retraction', () => {
    const log = new EventLog();
    const commissioned = log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
    log.retract(commissioned, at('2024-09-01'));
    const timeline = log.state().entities.get('plant-p1');

    expect(factsAt(timeline, cutAt(undefined, at('2024-08-31')))).toHaveLength(1);
    expect(factsAt(timeline, cutAt(undefined, at('2024-09-01')))).toHaveLength(0);
  });

  it('locates events and lists the amendments of a fact', () => {
    const log = new EventLog();
    const commissioned = log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
    const correction = log.correct(commissioned, { capacityGwh: 5 }, at('2024-07-01'));
    const state = log.state();

    expect(locateEvent(state, commissioned.eventId)).toEqual({ streamId: 'plant-p1', type: 'PlantCommissioned', position: 1 });
    expect(locateEvent(state, correction.eventId)).toEqual({ streamId: 'plant-p1', type: 'FactCorrected', position: 2 });
    expect(amendmentsOf(state, commissioned.eventId)).toEqual([
      { eventId: correction.eventId, kind: 'correction', position: 2, recordedAt: at('2024-07-01'), reason: 'test', changes: { capacityGwh: 5 } },
    ]);
  });

  it('echoes the highest position recorded by knownAt, also when record times lag positions', () => {
    const log = new EventLog();
    log.record(commission('a', '2024-01-01', 1), at('2024-03-01'));
    log.record(commission('b', '2024-01-01', 1), at('2024-01-01'));
    log.record(commission('c', '2024-01-01', 1), at('2024-02-01'));
    const state = log.state();

    expect(positionKnownAt(state, Date.parse(at('2023-12-31')))).toBe(0);
    expect(positionKnownAt(state, Date.parse(at('2024-01-15')))).toBe(2);
    expect(positionKnownAt(state, Date.parse(at('2024-02-15')))).toBe(3);
    expect(positionKnownAt(state, Date.parse(at('2024-03-15')))).toBe(3);
  });

  interface Folded {
    type: string;
    data: unknown;
    effectiveOn: string | undefined;
  }
  const folded = (seen: Folded[], event: DomainEvent, effectiveOn: string | undefined): Folded[] => {
    seen.push({ type: event.type, data: event.data, effectiveOn });
    return seen;
  };

  it('factsByEffectiveDate equals factsAt sorted by effective date, and foldByEffectiveDate folds the same facts, at any cut, while facts and amendments keep coming', () => {
    // One tariff measure takes every tariff step, so its timeline is long enough to be read through a view.
    const steps = fc
      .array(stepOf('plant', 'plant-step', 'tariff', 'tariff-step', 'tariff-step', 'tariff-step', 'amend'), { minLength: 60, maxLength: 120 })
      .map((chosen) => chosen.map((step) => (step.kind === 'tariff' || step.kind === 'tariff-step' ? { ...step, measure: 0 } : step)));
    const asOfs = [undefined, '2023-12-31', ...DAYS, '2026-01-01'];
    fc.assert(
      fc.property(steps, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }), fc.array(fc.nat(120), { minLength: 1, maxLength: 6 }), (chosen, lags, queryAfter) => {
        const events = toLog(chosen, lags);
        const state = createState();
        const knownAts = [...events.filter((_, i) => i % 4 === 0).map((event) => Date.parse(event.recordedAt)), Number.POSITIVE_INFINITY];
        events.forEach((event, i) => {
          apply(state, event);
          // Queries between applies make views that later facts extend and later amendments replace.
          if (!queryAfter.includes(i) && i !== events.length - 1) return;
          for (const timeline of state.entities.values()) {
            for (const knownAtMs of knownAts) {
              for (const asOf of asOfs) {
                const cut = { asOf, knownAtMs };
                expect(factsByEffectiveDate(timeline, cut)).toEqual(factsAt(timeline, cut).sort(byEffectiveDate));
              }
            }
          }
        });
        for (const timeline of state.entities.values()) {
          for (const knownAtMs of knownAts) {
            for (const asOf of asOfs) {
              const cut = { asOf, knownAtMs };
              const selected = factsByEffectiveDate(timeline, cut);
              // Compared by identity: the fold hands over the facts' own data, or the same amended copies.
              const viaFold = foldByEffectiveDate(timeline, cut, [], folded);
              const sameFacts = viaFold.length === selected.length && viaFold.every((fact, k) => fact.data === selected[k].event.data && fact.effectiveOn === selected[k].effectiveOn);
              if (!sameFacts) expect(viaFold).toEqual(selected.map(({ event, effectiveOn }) => ({ type: event.type, data: event.data, effectiveOn })));
            }
          }
        }
        const tariff = state.entities.get('tariff-t0');
        if (tariff && tariff.facts.length >= 32) expect(tariff.dated).toBeDefined();
      }),
      { numRuns: 100 },
    );
  });

  describe('foldLatestByEffectiveDate', () => {
    const latest = (timeline: Parameters<typeof foldByEffectiveDate>[0], cut: ReturnType<typeof cutAt>, kept?: KeptStates) =>
      foldLatestByEffectiveDate<PlantAt | undefined>(timeline, cut, undefined, foldPlant, shallowCopy, kept);
    const folded = (timeline: Parameters<typeof foldByEffectiveDate>[0], cut: ReturnType<typeof cutAt>) =>
      foldByEffectiveDate<PlantAt | undefined>(timeline, cut, undefined, foldPlant);

    it('equals foldByEffectiveDate at any cut while facts and amendments keep coming', () => {
      const steps = fc.array(stepOf('plant', 'plant-step', 'plant-step', 'amend'), { minLength: 5, maxLength: 60 });
      const asOfs = [undefined, '2023-12-31', ...DAYS, '2024-07-15', '2026-01-01', 'not a day'];
      fc.assert(
        fc.property(steps, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }), fc.array(fc.nat(60), { minLength: 1, maxLength: 6 }), (chosen, lags, queryAfter) => {
          const events = toLog(chosen, lags);
          const state = createState();
          const knownAts = [...events.filter((_, i) => i % 3 === 0).map((event) => Date.parse(event.recordedAt)), Number.POSITIVE_INFINITY];
          const check = () => {
            for (const timeline of state.entities.values()) {
              for (const knownAtMs of knownAts) {
                for (const asOf of asOfs) {
                  const cut = { asOf, knownAtMs };
                  expect(latest(timeline, cut, 'use')).toEqual(folded(timeline, cut));
                  expect(latest(timeline, cut)).toEqual(folded(timeline, cut));
                }
              }
            }
          };
          events.forEach((event, i) => {
            apply(state, event);
            // Answers between applies make steps that later facts and amendments leave stale.
            if (queryAfter.includes(i)) check();
          });
          check();
        }),
        { numRuns: 150 },
      );
    });

    it('answers a cut that knows everything from steps kept on the timeline, and an older cut by folding', () => {
      const log = new EventLog();
      log.record(announce({ plantId: 'p1', companyId: 'c1', announcedOn: '2024-01-01' }), at('2024-01-02'));
      log.record(startConstruction('p1', '2024-03-01'), at('2024-03-02'));
      log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
      const state = log.state();
      const timeline = state.entities.get('plant-p1');
      const now = cutAt('2024-12-31', at('2025-01-01'));

      const first = latest(timeline, now);
      expect(first).toMatchObject({ status: 'operational', commissionedGwh: 4 });
      expect(latest(timeline, now)).toBe(first);
      // Each date keeps its own state: the later steps did not change the earlier ones.
      expect(latest(timeline, cutAt('2024-04-01', at('2025-01-01')))).toMatchObject({ status: 'under-construction', commissionedGwh: 0 });
      expect(latest(timeline, cutAt('2023-12-31', at('2025-01-01')))).toBeUndefined();
      // Known before the commissioning was recorded: folded, not taken from the steps.
      expect(latest(timeline, cutAt('2024-12-31', at('2024-05-01')))).toMatchObject({ status: 'under-construction', commissionedGwh: 0 });

      log.record(commission('p1', '2024-09-01', 2), at('2024-09-02'));
      apply(state, log.events.at(-1)!);
      expect(latest(timeline, now)).toMatchObject({ commissionedGwh: 6 });
      log.retract(log.events[2], at('2024-10-01'));
      apply(state, log.events.at(-1)!);
      expect(latest(timeline, now)).toMatchObject({ commissionedGwh: 2, status: 'operational' });
      expect(latest(timeline, cutAt('2024-08-01', at('2025-01-01')))).toMatchObject({ commissionedGwh: 0, status: 'under-construction' });
    });

    it('with kept states to use only, answers from those already kept and makes none', () => {
      const log = new EventLog();
      log.record(announce({ plantId: 'p1', companyId: 'c1', announcedOn: '2024-01-01' }), at('2024-01-02'));
      log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
      const timeline = log.state().entities.get('plant-p1');
      const cut = cutAt('2024-12-31', at('2025-01-01'));

      expect(latest(timeline, cut, 'use')).toMatchObject({ commissionedGwh: 4 });
      expect(timeline?.folded).toBeUndefined();
      const kept = latest(timeline, cut);
      expect(timeline?.folded).toBeDefined();
      expect(latest(timeline, cut, 'use')).toBe(kept);
    });

    it('keeps the steps of one fold from answering another', () => {
      const log = new EventLog();
      log.record(announce({ plantId: 'p1', companyId: 'c1', announcedOn: '2024-01-01' }), at('2024-01-02'));
      log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
      const timeline = log.state().entities.get('plant-p1');
      const cut = cutAt('2024-12-31', at('2025-01-01'));
      const countFacts = (count: number) => count + 1;

      expect(latest(timeline, cut)).toMatchObject({ commissionedGwh: 4 });
      expect(foldLatestByEffectiveDate(timeline, cut, 0, countFacts, (count) => count)).toBe(2);
      expect(foldLatestByEffectiveDate(timeline, cut, 10, countFacts, (count) => count)).toBe(12);
      expect(latest(timeline, cut)).toMatchObject({ commissionedGwh: 4 });
    });
  });

  it('orders days by dayKey as their strings order, and refuses what is not a day', () => {
    const digits = (length: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: length, maxLength: length }).map((chars) => chars.join(''));
    // Years close together, so a month or day out of range would be caught reaching into the next year.
    const day = fc.tuple(digits(1), digits(2), digits(2)).map(([year, month, date]) => `202${year}-${month}-${date}`);
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [left, right] = [dayKey(a), dayKey(b)];
        if (left === NOT_A_DAY || right === NOT_A_DAY) return;
        expect(Math.sign(left - right)).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
    expect([dayKey('2024-13-01'), dayKey('2024-01-32'), dayKey('2024-1-01'), dayKey(20240101)]).toEqual([NOT_A_DAY, NOT_A_DAY, NOT_A_DAY, NOT_A_DAY]);
    expect(dayKey('')).toBe(0);
    expect(dayKey('0000-00-00')).toBeGreaterThan(0);
  });
});
