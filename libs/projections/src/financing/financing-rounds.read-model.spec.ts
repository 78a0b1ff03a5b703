import { EventLog, at, financingRound, registerCompany } from '../testing/recorded-events';
import { financingRounds } from './financing-rounds.read-model';

const K = at('2030-01-01');

describe('financing rounds', () => {
  const history = () => {
    const log = new EventLog();
    log.record(registerCompany('taland'), at('2023-01-01'));
    log.record(registerCompany('qingtao'), at('2023-01-01'));
    log.record(
      financingRound({
        companyId: 'taland',
        roundId: 'b-plus',
        roundType: 'b',
        roundLabel: 'B+',
        amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
        closedOn: '2025-12-10',
        technologyRoutes: ['solid-state-oxide'],
      }),
      at('2025-12-11'),
    );
    log.record(financingRound({ companyId: 'qingtao', roundId: 'c', amount: { value: 0.1, currency: 'USD' }, closedOn: '2025-03-01' }), at('2025-03-02'));
    log.record(financingRound({ companyId: 'qingtao', roundId: 'd', amount: { value: 0.2, currency: 'USD' }, closedOn: '2025-09-01' }), at('2025-09-02'));
    log.record(financingRound({ companyId: 'ghost', roundId: 'x', closedOn: '2025-01-01' }), at('2025-01-02'));
    return log;
  };

  it('lists rounds closed by asOf with their qualifier, and totals per currency without conversion', () => {
    const answer = financingRounds(history().state(), { asOf: '2025-12-31', knownAt: K });

    expect(answer.rounds.map((round) => round.roundId)).toEqual(['c', 'd', 'b-plus']);
    expect(answer.rounds[2]).toMatchObject({ roundLabel: 'B+', amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' } });
    expect(answer.totals).toEqual([
      { currency: 'CNY', value: 400_000_000, rounds: 1, qualifier: 'at-least' },
      { currency: 'USD', value: 0.3, rounds: 2, qualifier: 'exact' },
    ]);
    expect(financingRounds(history().state(), { asOf: '2025-06-30', knownAt: K }).rounds.map((round) => round.roundId)).toEqual(['c']);
  });

  it('filters by company, route and an inclusive closing window', () => {
    const state = history().state();
    const ids = (filters: object) => financingRounds(state, { asOf: '2025-12-31', knownAt: K }, filters).rounds.map((round) => round.roundId);

    expect(ids({ companyId: 'taland' })).toEqual(['b-plus']);
    expect(ids({ technologyRoute: 'solid-state-oxide' })).toEqual(['b-plus']);
    expect(ids({ from: '2025-03-01', to: '2025-09-01' })).toEqual(['c', 'd']);
    expect(ids({ companyId: 'ghost' })).toEqual([]);
  });

  it('follows knownAt for late rounds, corrected amounts and retractions', () => {
    const log = history();
    log.correct(log.events[3], { amount: { value: 0.5, currency: 'USD' } }, at('2026-01-05'));
    log.retract(log.events[4], at('2026-01-06'));
    const state = log.state();
    const usd = (knownAt: string) => financingRounds(state, { asOf: '2025-12-31', knownAt }, { companyId: 'qingtao' }).totals;

    expect(usd(at('2025-06-01'))).toEqual([{ currency: 'USD', value: 0.1, rounds: 1, qualifier: 'exact' }]);
    expect(usd(at('2026-01-05'))).toEqual([{ currency: 'USD', value: 0.7, rounds: 2, qualifier: 'exact' }]);
    expect(usd(at('2026-01-06'))).toEqual([{ currency: 'USD', value: 0.5, rounds: 1, qualifier: 'exact' }]);
  });
});
