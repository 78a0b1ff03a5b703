import { EventLog, at, changeStage, registerStandard } from '../testing/recorded-events';
import { standardOf, standards } from './standards.read-model';

const K = at('2030-01-01');

describe('standards', () => {
  const history = () => {
    const log = new EventLog();
    log.record(
      registerStandard({ standardId: 'cn-ssb-ev', jurisdiction: 'CN', technologyRoutes: ['solid-state-sulphide'], stage: 'drafting', on: '2025-06-01' }),
      at('2025-06-02'),
    );
    log.record(changeStage('cn-ssb-ev', 'public-comment', '2025-12-20'), at('2025-12-21'));
    log.record(changeStage('cn-ssb-ev', 'published', '2026-06-01', 'GB 12345-2026'), at('2026-06-02'));
    log.record(registerStandard({ standardId: 'eu-battery-reg', jurisdiction: 'EU', issuer: 'EU', stage: 'in-force', on: '2023-08-17' }), at('2024-01-01'));
    return log;
  };

  it('shows the latest stage effective by asOf with every stage reached so far', () => {
    expect(standardOf(history().state(), 'cn-ssb-ev', { asOf: '2026-01-31', knownAt: K })).toEqual({
      asOf: '2026-01-31',
      knownAt: K,
      position: 4,
      standardId: 'cn-ssb-ev',
      title: 'Solid-state batteries for electric vehicles',
      issuer: 'MIIT',
      jurisdiction: 'CN',
      code: null,
      technologyRoutes: ['solid-state-sulphide'],
      stage: 'public-comment',
      stages: [
        { stage: 'drafting', on: '2025-06-01' },
        { stage: 'public-comment', on: '2025-12-20' },
      ],
    });
    expect(standardOf(history().state(), 'cn-ssb-ev', { asOf: '2026-12-31', knownAt: K })).toMatchObject({ stage: 'published', code: 'GB 12345-2026' });
  });

  it('shows a registered standard before its first stage with stage null, and nothing before registration is known', () => {
    const state = history().state();

    expect(standardOf(state, 'cn-ssb-ev', { asOf: '2025-01-01', knownAt: K })).toMatchObject({ stage: null, stages: [] });
    expect(standardOf(state, 'cn-ssb-ev', { asOf: '2026-01-01', knownAt: at('2025-06-01') })).toBeUndefined();
    expect(standardOf(state, 'cn-ssb-ev', { asOf: '2026-01-01', knownAt: at('2025-12-01') })).toMatchObject({ stage: 'drafting' });
  });

  it('shows a withdrawal from its date', () => {
    const log = history();
    log.record(changeStage('eu-battery-reg', 'withdrawn', '2027-01-01'), at('2026-03-01'));
    const state = log.state();

    expect(standardOf(state, 'eu-battery-reg', { asOf: '2026-12-31', knownAt: K })?.stage).toBe('in-force');
    expect(standardOf(state, 'eu-battery-reg', { asOf: '2027-01-01', knownAt: K })?.stage).toBe('withdrawn');
    expect(standardOf(state, 'eu-battery-reg', { asOf: '2027-01-01', knownAt: at('2026-02-01') })?.stage).toBe('in-force');
  });

  it('filters by jurisdiction, route in scope and stage at asOf', () => {
    const state = history().state();
    const ids = (filters: object, asOf = '2026-01-31') => standards(state, { asOf, knownAt: K }, filters).standards.map((s) => s.standardId);

    expect(ids({})).toEqual(['cn-ssb-ev', 'eu-battery-reg']);
    expect(ids({ jurisdiction: 'EU' })).toEqual(['eu-battery-reg']);
    expect(ids({ technologyRoute: 'solid-state-sulphide' })).toEqual(['cn-ssb-ev']);
    expect(ids({ stage: 'public-comment' })).toEqual(['cn-ssb-ev']);
    expect(ids({ stage: 'public-comment' }, '2026-07-01')).toEqual([]);
  });

  it('applies a corrected stage date only when known', () => {
    const log = history();
    log.correct(log.events[1], { on: '2026-02-15' }, at('2026-07-01'));
    const state = log.state();

    expect(standardOf(state, 'cn-ssb-ev', { asOf: '2026-01-31', knownAt: at('2026-06-30') })?.stage).toBe('public-comment');
    expect(standardOf(state, 'cn-ssb-ev', { asOf: '2026-01-31', knownAt: at('2026-07-01') })?.stage).toBe('drafting');
  });
});
