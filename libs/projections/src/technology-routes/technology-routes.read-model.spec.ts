import {
  EventLog,
  announce,
  at,
  changeStage,
  commission,
  financingRound,
  reachMilestone,
  registerCompany,
  registerStandard,
  startConstruction,
} from '../testing/recorded-events';
import { technologyRouteTimeline, technologyRoutes } from './technology-routes.read-model';

const K = at('2030-01-01');

describe('technology routes', () => {
  const history = () => {
    const log = new EventLog();
    log.record(registerCompany('xinjie'), at('2023-01-01'));
    log.record(reachMilestone({ milestoneId: 'm1', technologyRoute: 'lithium-metal', stage: 'lab', achievedOn: '2023-03-01' }), at('2023-03-02'));
    log.record(reachMilestone({ milestoneId: 'm2', technologyRoute: 'lithium-metal', stage: 'pilot', achievedOn: '2024-05-01', companyId: 'xinjie' }), at('2024-05-02'));
    log.record(announce({ plantId: 'x1', companyId: 'xinjie', technologyRoute: 'lithium-metal', plannedCapacityGwh: 2, announcedOn: '2024-06-01' }), at('2024-06-02'));
    log.record(startConstruction('x1', '2024-09-01'), at('2024-09-02'));
    log.record(commission('x1', '2025-12-20', 2), at('2025-12-21'));
    log.record(
      financingRound({ companyId: 'xinjie', roundId: 'a', roundLabel: 'A', technologyRoutes: ['lithium-metal'], amount: { value: 5, currency: 'CNY', qualifier: 'about' }, closedOn: '2025-02-01' }),
      at('2025-02-02'),
    );
    log.record(registerStandard({ standardId: 'ssb', technologyRoutes: ['lithium-metal'], stage: 'drafting', on: '2025-03-01' }), at('2025-03-02'));
    log.record(changeStage('ssb', 'public-comment', '2025-12-20'), at('2025-12-22'));
    log.record({ type: 'TechnologyRouteRegistered', data: { routeId: 'lithium-sulfur', family: 'other', name: 'Li-S' } }, at('2025-01-01'));
    return log;
  };

  it('orders every dated entry of a route by date then position, with derived fields', () => {
    const answer = technologyRouteTimeline(history().state(), 'lithium-metal', { asOf: '2025-12-31', knownAt: K });

    expect(answer).toMatchObject({
      routeId: 'lithium-metal',
      family: 'solid-state',
      asOf: '2025-12-31',
      firstPilotOn: '2024-05-01',
      firstMassProductionOn: '2025-12-20',
      stage: 'mass-production',
      operationalGwh: 2,
      pipelineGwh: 0,
    });
    expect(answer?.entries.map((entry) => [entry.on, entry.kind, entry.companyId])).toEqual([
      ['2023-03-01', 'milestone', undefined],
      ['2024-05-01', 'milestone', 'xinjie'],
      ['2024-06-01', 'capacity-announcement', 'xinjie'],
      ['2024-09-01', 'construction-start', 'xinjie'],
      ['2025-02-01', 'financing-round', 'xinjie'],
      ['2025-03-01', 'standard-stage', undefined],
      ['2025-12-20', 'commissioning', 'xinjie'],
      ['2025-12-20', 'standard-stage', undefined],
    ]);
    expect(answer?.entries[4].summary).toBe('xinjie closed a A round of about 5 CNY');
  });

  it('answers at asOf and knownAt, and filters entries by window and kind', () => {
    const state = history().state();

    expect(technologyRouteTimeline(state, 'lithium-metal', { asOf: '2024-12-31', knownAt: K })).toMatchObject({
      stage: 'pilot',
      firstMassProductionOn: null,
      operationalGwh: 0,
      pipelineGwh: 2,
    });
    expect(technologyRouteTimeline(state, 'lithium-metal', { asOf: '2025-12-31', knownAt: at('2025-12-21') })?.entries.at(-1)?.kind).toBe('commissioning');
    const filtered = technologyRouteTimeline(state, 'lithium-metal', { asOf: '2025-12-31', knownAt: K }, { from: '2024-01-01', to: '2025-06-30', kind: 'milestone' });
    expect(filtered?.entries.map((entry) => entry.eventId)).toHaveLength(1);
  });

  it('lists built-in and registered routes, filtered by family, and knows nothing of unknown routes', () => {
    const state = history().state();
    const all = technologyRoutes(state, { asOf: '2025-12-31', knownAt: K });

    expect(all.routes.find((route) => route.routeId === 'lithium-metal')).toEqual({
      routeId: 'lithium-metal',
      family: 'solid-state',
      stage: 'mass-production',
      firstPilotOn: '2024-05-01',
      firstMassProductionOn: '2025-12-20',
      operationalGwh: 2,
      pipelineGwh: 0,
    });
    expect(technologyRoutes(state, { asOf: '2025-12-31', knownAt: K }, { family: 'other' }).routes.map((route) => route.routeId)).toEqual(['lithium-sulfur', 'other']);
    expect(technologyRoutes(state, { asOf: '2025-12-31', knownAt: at('2024-12-31') }, { family: 'other' }).routes.map((route) => route.routeId)).toEqual(['other']);
    expect(technologyRouteTimeline(state, 'unobtainium', { asOf: '2025-12-31', knownAt: K })).toBeUndefined();
  });

  it('takes a mass-production milestone as first mass production, and follows a retraction', () => {
    const log = history();
    const early = log.record(reachMilestone({ milestoneId: 'm3', technologyRoute: 'lithium-metal', stage: 'mass-production', achievedOn: '2025-06-01' }), at('2026-01-01'));
    log.retract(early, at('2026-02-01'));
    const state = log.state();

    expect(technologyRouteTimeline(state, 'lithium-metal', { asOf: '2025-12-31', knownAt: at('2026-01-15') })?.firstMassProductionOn).toBe('2025-06-01');
    expect(technologyRouteTimeline(state, 'lithium-metal', { asOf: '2025-12-31', knownAt: at('2026-02-01') })?.firstMassProductionOn).toBe('2025-12-20');
  });
});
