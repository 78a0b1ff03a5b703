import { EventLog, at, changeRate, imposeTariff, revokeTariff } from '../testing/recorded-events';
import { effectiveTariff } from './effective-tariff.read-model';

const K = at('2030-01-01');
const rate = (log: EventLog, asOf: string, product = 'ev-battery', knownAt = K) =>
  effectiveTariff(log.state(), { asOf, knownAt }, { importer: 'US', origin: 'CN', product });

describe('effective tariff', () => {
  const usChina = () => {
    const log = new EventLog();
    log.record(imposeTariff({ measureId: 'mfn', measureType: 'mfn', ratePercent: 3.4, effectiveFrom: '2000-01-01', products: ['ev-battery', 'ess-battery'] }), at('2024-01-01'));
    log.record(
      imposeTariff({ measureId: 's301', measureType: 'section-301', ratePercent: 25, effectiveFrom: '2024-09-27', products: ['ev-battery', 'ess-battery'], legalReference: '89 FR 76581' }),
      at('2024-09-20'),
    );
    log.record(changeRate('s301', '2026-01-01', 25, ['ess-battery']), at('2024-09-20'));
    log.record(imposeTariff({ measureId: 'ieepa', measureType: 'reciprocal', ratePercent: 54, effectiveFrom: '2025-04-09', products: ['ev-battery', 'ess-battery'] }), at('2025-04-09'));
    log.record(imposeTariff({ measureId: 's301-ess', measureType: 'section-301', ratePercent: 7.5, effectiveFrom: '2019-01-01', effectiveUntil: '2026-01-01', products: ['ess-battery'] }), at('2024-01-01'));
    return log;
  };

  it('stacks every measure in force and rounds the sum', () => {
    const answer = rate(usChina(), '2025-04-09');

    expect(answer).toMatchObject({ importer: 'US', origin: 'CN', product: 'ev-battery', ratePercent: 82.4, position: 5 });
    expect(answer.measures).toEqual([
      { measureId: 'mfn', measureType: 'mfn', ratePercent: 3.4, effectiveFrom: '2000-01-01', effectiveUntil: null, legalReference: null },
      { measureId: 's301', measureType: 'section-301', ratePercent: 25, effectiveFrom: '2024-09-27', effectiveUntil: null, legalReference: '89 FR 76581' },
      { measureId: 'ieepa', measureType: 'reciprocal', ratePercent: 54, effectiveFrom: '2025-04-09', effectiveUntil: null, legalReference: null },
    ]);
  });

  it('applies a rate change only to the products it names, from its date', () => {
    const log = usChina();
    log.record(changeRate('s301', '2024-09-27', 0, ['ess-battery']), at('2024-09-21'));

    expect(rate(log, '2025-04-09', 'ess-battery').ratePercent).toBe(64.9);
    expect(rate(log, '2026-01-01', 'ess-battery').ratePercent).toBe(82.4);
    expect(rate(log, '2026-01-01', 'ev-battery').ratePercent).toBe(82.4);
  });

  it('drops a measure on its expiry day and after a revocation', () => {
    const log = usChina();
    expect(rate(log, '2025-12-31', 'ess-battery').measures.map((m) => m.measureId)).toContain('s301-ess');
    expect(rate(log, '2026-01-01', 'ess-battery').measures.map((m) => m.measureId)).not.toContain('s301-ess');

    log.record(revokeTariff('ieepa', '2025-11-10'), at('2025-11-05'));
    expect(rate(log, '2025-11-09').ratePercent).toBe(82.4);
    expect(rate(log, '2025-11-10').ratePercent).toBe(28.4);
    expect(rate(log, '2025-11-10', 'ev-battery', at('2025-11-01')).ratePercent).toBe(82.4);
  });

  it('ignores other products, lanes and measures not yet in force', () => {
    const log = usChina();
    expect(rate(log, '2025-04-09', 'bev')).toMatchObject({ ratePercent: 0, measures: [] });
    expect(rate(log, '2024-09-26').ratePercent).toBe(3.4);
    expect(effectiveTariff(log.state(), { asOf: '2025-04-09', knownAt: K }, { importer: 'EU', origin: 'CN', product: 'ev-battery' }).measures).toEqual([]);
  });

  it('follows corrections of a rate and retractions of a measure as of when recorded', () => {
    const log = usChina();
    const ieepa = log.events[3];
    log.correct(ieepa, { ratePercent: 34 }, at('2025-05-01'));
    log.retract(log.events[0], at('2025-06-01'));

    expect(rate(log, '2025-04-09', 'ev-battery', at('2025-04-30')).ratePercent).toBe(82.4);
    expect(rate(log, '2025-04-09', 'ev-battery', at('2025-05-01')).ratePercent).toBe(62.4);
    expect(rate(log, '2025-04-09', 'ev-battery', at('2025-06-01')).ratePercent).toBe(59);
  });
});
