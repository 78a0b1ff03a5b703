import { EventLog, announce, at, cancel, commission, registerCompany } from '../testing/recorded-events';
import { overseasExpansion } from './overseas-expansion.read-model';

const K = at('2030-01-01');

describe('overseas expansion', () => {
  const history = () => {
    const log = new EventLog();
    log.record(registerCompany('catl', 'CN'), at('2023-01-01'));
    log.record(registerCompany('lges', 'KR'), at('2023-01-01'));
    log.record(announce({ plantId: 'ningde', companyId: 'catl', country: 'CN', plannedCapacityGwh: 60 }), at('2024-01-02'));
    log.record(commission('ningde', '2024-02-01', 60), at('2024-02-02'));
    log.record(announce({ plantId: 'debrecen', companyId: 'catl', country: 'HU', plannedCapacityGwh: 100, technologyRoute: 'nmc' }), at('2024-01-02'));
    log.record(commission('debrecen', '2024-06-01', 40), at('2024-06-02'));
    log.record(announce({ plantId: 'erfurt', companyId: 'catl', country: 'DE', plannedCapacityGwh: 14, announcedOn: '2025-01-01' }), at('2025-01-02'));
    log.record(announce({ plantId: 'old', companyId: 'catl', country: 'DE', plannedCapacityGwh: 5 }), at('2024-01-02'));
    log.record(cancel('old', '2024-03-01'), at('2024-03-02'));
    log.record(announce({ plantId: 'holland', companyId: 'lges', country: 'US', plannedCapacityGwh: 20 }), at('2024-01-02'));
    return log;
  };

  it('splits domestic and overseas capacity and lists destinations with their plants', () => {
    const answer = overseasExpansion(history().state(), { asOf: '2025-06-30', knownAt: K });

    expect(answer.companies[0]).toEqual({
      companyId: 'catl',
      name: 'catl',
      headquartersCountry: 'CN',
      domesticOperationalGwh: 60,
      overseasOperationalGwh: 40,
      domesticPipelineGwh: 0,
      overseasPipelineGwh: 74,
      overseasShare: 0.4,
      countries: [
        { country: 'DE', operationalGwh: 0, pipelineGwh: 14, plantIds: ['erfurt'] },
        { country: 'HU', operationalGwh: 40, pipelineGwh: 60, plantIds: ['debrecen'] },
      ],
    });
    expect(answer.companies[1]).toMatchObject({ companyId: 'lges', overseasShare: 0, overseasPipelineGwh: 20 });
    expect(answer.totals).toEqual({
      domesticOperationalGwh: 60,
      overseasOperationalGwh: 40,
      domesticPipelineGwh: 0,
      overseasPipelineGwh: 94,
      overseasShare: 0.4,
    });
  });

  it('filters by headquarters country and technology route, and answers at asOf', () => {
    const state = history().state();

    expect(overseasExpansion(state, { asOf: '2025-06-30', knownAt: K }, { headquartersCountry: 'KR' }).companies.map((c) => c.companyId)).toEqual(['lges']);
    expect(overseasExpansion(state, { asOf: '2025-06-30', knownAt: K }, { technologyRoute: 'nmc' }).totals).toMatchObject({
      domesticOperationalGwh: 0,
      overseasOperationalGwh: 40,
      overseasShare: 1,
    });
    expect(overseasExpansion(state, { asOf: '2024-03-31', knownAt: K }).companies[0]).toMatchObject({ overseasShare: 0, overseasPipelineGwh: 100 });
  });
});
