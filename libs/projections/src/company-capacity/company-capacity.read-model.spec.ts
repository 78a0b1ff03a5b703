import {
  EventLog,
  announce,
  at,
  cancel,
  commission,
  registerCompany,
  resume,
  revise,
  startConstruction,
  suspend,
} from '../testing/recorded-events';
import { companyCapacity, companyCapacityOf, companyCapacityTimeline } from './company-capacity.read-model';
import { overseasExpansion } from '../overseas-expansion/overseas-expansion.read-model';

const K = at('2030-01-01');
const ask = (log: EventLog, asOf: string, knownAt = K, filters = {}) =>
  companyCapacity(log.state(), { asOf, knownAt }, filters);
const bucketsOf = (log: EventLog, asOf: string, knownAt = K) => ask(log, asOf, knownAt).companies[0];

describe('company capacity', () => {
  it('fills every bucket along a plant life: announced, under construction, partly and fully commissioned', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10, announcedOn: '2024-01-01' }), at('2024-01-02'));
    log.record(startConstruction('p1', '2024-03-01'), at('2024-03-02'));
    log.record(commission('p1', '2024-09-01', 4), at('2024-09-02'));
    log.record(commission('p1', '2025-03-01', 6), at('2025-03-02'));

    expect(bucketsOf(log, '2023-12-31')).toMatchObject({ operationalGwh: 0, pipelineGwh: 0, announcedGwh: 0 });
    expect(bucketsOf(log, '2024-01-31')).toMatchObject({ announcedGwh: 10, underConstructionGwh: 0, pipelineGwh: 10 });
    expect(bucketsOf(log, '2024-06-30')).toMatchObject({ announcedGwh: 0, underConstructionGwh: 10, pipelineGwh: 10 });
    expect(bucketsOf(log, '2024-12-31')).toMatchObject({ operationalGwh: 4, underConstructionGwh: 6, pipelineGwh: 6 });
    expect(bucketsOf(log, '2025-12-31')).toMatchObject({
      operationalGwh: 10,
      underConstructionGwh: 0,
      announcedGwh: 0,
      pipelineGwh: 0,
      suspendedGwh: 0,
      cancelledGwh: 0,
    });
  });

  it('counts an announcement that opens under construction as under construction', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 2, status: 'under-construction' }), at('2024-01-02'));

    expect(bucketsOf(log, '2024-06-30')).toMatchObject({ announcedGwh: 0, underConstructionGwh: 2, pipelineGwh: 2 });
  });

  it('takes planned capacity from the latest revision effective by asOf', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10, announcedOn: '2024-01-01' }), at('2024-01-02'));
    log.record(revise('p1', '2024-06-01', 20), at('2024-06-02'));
    log.record(revise('p1', '2025-06-01', 15), at('2025-06-02'));

    expect(bucketsOf(log, '2024-03-01').announcedGwh).toBe(10);
    expect(bucketsOf(log, '2024-12-31').announcedGwh).toBe(20);
    expect(bucketsOf(log, '2025-12-31').announcedGwh).toBe(15);
  });

  it('moves a suspended plant out of the other buckets and back on resumption', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10 }), at('2024-01-02'));
    log.record(commission('p1', '2024-05-01', 4), at('2024-05-02'));
    log.record(suspend('p1', '2024-08-01'), at('2024-08-02'));
    log.record(resume('p1', '2025-02-01'), at('2025-02-02'));

    expect(bucketsOf(log, '2024-12-31')).toMatchObject({ operationalGwh: 0, underConstructionGwh: 0, pipelineGwh: 0, suspendedGwh: 10 });
    expect(bucketsOf(log, '2025-03-01')).toMatchObject({ operationalGwh: 4, underConstructionGwh: 6, suspendedGwh: 0 });
  });

  it('shows the planned capacity of a cancelled plant apart', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 8 }), at('2024-01-02'));
    log.record(cancel('p1', '2024-04-01'), at('2024-04-02'));

    expect(bucketsOf(log, '2024-12-31')).toMatchObject({ announcedGwh: 0, pipelineGwh: 0, cancelledGwh: 8 });
  });

  it('breaks buckets down by route and plant country, and filters by route, country and headquarters', () => {
    const log = new EventLog();
    log.record(registerCompany('c1', 'CN'), at('2023-01-01'));
    log.record(registerCompany('c2', 'KR'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', country: 'HU', technologyRoute: 'lfp', plannedCapacityGwh: 10 }), at('2024-01-02'));
    log.record(commission('p1', '2024-02-01', 3), at('2024-02-02'));
    log.record(announce({ plantId: 'p2', companyId: 'c1', country: 'CN', technologyRoute: 'sodium-ion', plannedCapacityGwh: 5 }), at('2024-01-02'));
    log.record(announce({ plantId: 'p3', companyId: 'c2', country: 'US', technologyRoute: 'nmc', plannedCapacityGwh: 7 }), at('2024-01-02'));

    const all = ask(log, '2024-12-31');
    expect(all.companies.map((c) => c.companyId)).toEqual(['c1', 'c2']);
    expect(all.companies[0].byRoute).toMatchObject({
      lfp: { operationalGwh: 3, pipelineGwh: 7 },
      'sodium-ion': { operationalGwh: 0, pipelineGwh: 5 },
    });
    expect(all.companies[0].byCountry).toMatchObject({ HU: { operationalGwh: 3, pipelineGwh: 7 }, CN: { pipelineGwh: 5 } });
    expect(all.totals).toMatchObject({ operationalGwh: 3, pipelineGwh: 19, underConstructionGwh: 7, announcedGwh: 12 });
    expect(all.totals.byCountry.US).toMatchObject({ pipelineGwh: 7 });

    expect(ask(log, '2024-12-31', K, { technologyRoute: 'nmc' }).companies.map((c) => c.companyId)).toEqual(['c2']);
    expect(ask(log, '2024-12-31', K, { country: 'HU' }).totals).toMatchObject({ operationalGwh: 3, pipelineGwh: 7 });
    expect(ask(log, '2024-12-31', K, { headquartersCountry: 'KR' }).totals.pipelineGwh).toBe(7);
  });

  it('counts only companies known at knownAt, and no plant announced after asOf', () => {
    const log = new EventLog();
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10, announcedOn: '2024-01-01' }), at('2024-01-02'));
    log.record(registerCompany('c1'), at('2024-06-01'));

    expect(ask(log, '2024-12-31', at('2024-05-01')).companies).toEqual([]);
    expect(ask(log, '2024-12-31', at('2024-06-01')).totals.announcedGwh).toBe(10);
    expect(ask(log, '2023-12-31', at('2024-06-01')).companies[0].announcedGwh).toBe(0);
  });

  it('changes a past answer only when knownAt is after a late-recorded fact', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10, announcedOn: '2024-01-01' }), at('2024-01-02'));
    log.record(commission('p1', '2024-06-01', 10), at('2026-01-10'));

    expect(bucketsOf(log, '2024-12-31', at('2025-03-01')).operationalGwh).toBe(0);
    expect(bucketsOf(log, '2024-12-31', at('2026-02-01')).operationalGwh).toBe(10);
    expect(ask(log, '2024-12-31', at('2025-03-01')).position).toBe(2);
    expect(ask(log, '2024-12-31', at('2026-02-01')).position).toBe(3);
  });

  it('applies corrections of dates and quantities, and retractions, as of when they were recorded', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10, announcedOn: '2024-01-01' }), at('2024-01-02'));
    const first = log.record(commission('p1', '2024-06-01', 4), at('2024-06-02'));
    const second = log.record(commission('p1', '2024-07-01', 2), at('2024-07-02'));
    log.correct(first, { commissionedOn: '2025-01-15' }, at('2025-02-01'));
    log.correct(second, { capacityGwh: 3 }, at('2025-02-01'));
    log.retract(second, at('2025-04-01'));

    expect(bucketsOf(log, '2024-12-31', at('2025-01-01')).operationalGwh).toBe(6);
    expect(bucketsOf(log, '2024-12-31', at('2025-03-01')).operationalGwh).toBe(3);
    expect(bucketsOf(log, '2025-01-31', at('2025-03-01')).operationalGwh).toBe(7);
    expect(bucketsOf(log, '2025-01-31', at('2025-05-01')).operationalGwh).toBe(4);
  });

  it('ignores a correction recorded after knownAt', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    const announced = log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10 }), at('2024-01-02'));
    log.correct(announced, { plannedCapacityGwh: 12 }, at('2024-03-01'));

    expect(bucketsOf(log, '2024-12-31', at('2024-02-01')).announcedGwh).toBe(10);
    expect(bucketsOf(log, '2024-12-31', at('2024-03-01')).announcedGwh).toBe(12);
  });

  it('answers one company with its plants, and nothing for a company unknown at knownAt', () => {
    const log = new EventLog();
    log.record(registerCompany('c1', 'CN', 'CATL'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', name: 'Debrecen', country: 'HU', plannedCapacityGwh: 10 }), at('2024-01-02'));
    log.record(commission('p1', '2024-02-01', 3), at('2024-02-02'));
    const state = log.state();

    expect(companyCapacityOf(state, 'c1', { asOf: '2024-12-31', knownAt: K })).toMatchObject({
      asOf: '2024-12-31',
      knownAt: K,
      position: 3,
      companyId: 'c1',
      name: 'CATL',
      operationalGwh: 3,
      plants: [{ plantId: 'p1', name: 'Debrecen', country: 'HU', technologyRoute: 'lfp', status: 'operational', plannedGwh: 10, commissionedGwh: 3 }],
    });
    expect(companyCapacityOf(state, 'c1', { asOf: '2024-12-31', knownAt: at('2022-01-01') })).toBeUndefined();
    expect(companyCapacityOf(state, 'nobody', { asOf: '2024-12-31', knownAt: K })).toBeUndefined();
  });

  it('keeps no plant states for a list over every company, but answers it from those one company kept', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(registerCompany('c2'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10, announcedOn: '2024-01-01' }), at('2024-01-02'));
    log.record(announce({ plantId: 'p2', companyId: 'c2', plannedCapacityGwh: 5, announcedOn: '2024-01-01' }), at('2024-01-02'));
    log.record(commission('p2', '2024-06-01', 5), at('2024-06-02'));
    const state = log.state();
    const time = { asOf: '2024-12-31', knownAt: K };
    const plantsKept = () => ['plant-p1', 'plant-p2'].filter((streamId) => state.entities.get(streamId)?.folded !== undefined);

    const list = companyCapacity(state, time);
    overseasExpansion(state, time);
    expect(plantsKept()).toEqual([]);
    expect(companyCapacityOf(state, 'c2', time)).toMatchObject({ operationalGwh: 5 });
    expect(plantsKept()).toEqual(['plant-p2']);
    expect(companyCapacity(state, time)).toEqual(list);
    expect(plantsKept()).toEqual(['plant-p2']);
  });

  it('draws a timeline at the end of each period, clipped to `to`', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 10, announcedOn: '2024-02-01' }), at('2024-02-02'));
    log.record(startConstruction('p1', '2024-05-01'), at('2024-05-02'));
    log.record(commission('p1', '2024-08-01', 10), at('2024-08-02'));

    const answer = companyCapacityTimeline(log.state(), 'c1', { from: '2024-01-01', to: '2024-08-15', interval: 'quarter', knownAt: K });
    expect(answer?.points.map(({ asOf, operationalGwh, underConstructionGwh, announcedGwh }) => ({ asOf, operationalGwh, underConstructionGwh, announcedGwh }))).toEqual([
      { asOf: '2024-03-31', operationalGwh: 0, underConstructionGwh: 0, announcedGwh: 10 },
      { asOf: '2024-06-30', operationalGwh: 0, underConstructionGwh: 10, announcedGwh: 0 },
      { asOf: '2024-08-15', operationalGwh: 10, underConstructionGwh: 0, announcedGwh: 0 },
    ]);
    expect(companyCapacityTimeline(log.state(), 'zz', { from: '2024-01-01', to: '2024-08-15', interval: 'year', knownAt: K })).toBeUndefined();
  });

  it('rounds sums without binary noise', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2023-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1', plannedCapacityGwh: 0.1 }), at('2024-01-02'));
    log.record(announce({ plantId: 'p2', companyId: 'c1', plannedCapacityGwh: 0.2 }), at('2024-01-02'));

    expect(bucketsOf(log, '2024-12-31').announcedGwh).toBe(0.3);
  });
});
