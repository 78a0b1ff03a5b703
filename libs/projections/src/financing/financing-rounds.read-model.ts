import { AmountQualifier, RoundType, streamIds } from '@bsc/domain';
import { companyAt } from '../company-capacity/company-profile';
import { compareIds } from '../company-capacity/company-capacity.read-model';
import { factsAt } from '../engine/fact-timeline';
import { AnswerEcho, QueryTime, answerOf, cutOf, roundQuantity } from '../engine/query-time';
import { finishNow } from '../engine/in-slices';
import { ReadModelState, streamsTagged, tag } from '../engine/read-model-state';

export interface FinancingFilters {
  companyId?: string;
  technologyRoute?: string;
  /** Inclusive bounds on `closedOn`; rounds after asOf are never shown. */
  from?: string;
  to?: string;
}

export interface FinancingRoundView {
  eventId: string;
  roundId: string;
  companyId: string;
  roundType: RoundType;
  roundLabel: string | null;
  amount: { value: number; currency: string; qualifier: AmountQualifier };
  closedOn: string;
  investors: string[];
  technologyRoutes: string[];
}

/**
 * The sum per currency, never converted. `qualifier` is `exact` when every round is; `at-least` or
 * `up-to` when every inexact round says so; `about` for any other mix.
 */
export interface CurrencyTotal {
  currency: string;
  value: number;
  rounds: number;
  qualifier: AmountQualifier;
}

export interface FinancingAnswer extends AnswerEcho {
  rounds: FinancingRoundView[];
  totals: CurrencyTotal[];
}

/**
 * Financing rounds of companies known at knownAt, closed ≤ asOf and within [from, to], ordered by
 * `closedOn` then log position, with totals per currency.
 *
 * @example
 *   financingRounds(state, { asOf: '2025-12-31', knownAt: now }, { technologyRoute: 'solid-state-oxide' }).totals
 */
export const financingRounds = (state: ReadModelState, time: QueryTime, filters: FinancingFilters = {}): FinancingAnswer =>
  finishNow(financingRoundsSteps(state, time, filters));

/** `financingRounds` as steps, a company per step, for an answer computed between other work (`finishInSlices`). */
export function* financingRoundsSteps(state: ReadModelState, time: QueryTime, filters: FinancingFilters = {}): Generator<void, FinancingAnswer> {
  const cut = cutOf(time);
  const streams =
    filters.companyId !== undefined
      ? [streamIds.company(filters.companyId)]
      : filters.technologyRoute !== undefined
        ? [...streamsTagged(state, tag.route(filters.technologyRoute))]
        : [...streamsTagged(state, tag.financing)];
  const found: { position: number; round: FinancingRoundView }[] = [];
  for (const streamId of streams) {
    yield;
    const timeline = state.entities.get(streamId);
    if (!companyAt(timeline, cut)) continue;
    for (const { event, eventId, position } of factsAt(timeline, cut)) {
      if (event.type !== 'FinancingRoundClosed') continue;
      const data = event.data;
      if (filters.technologyRoute !== undefined && !data.technologyRoutes.includes(filters.technologyRoute)) continue;
      if (filters.from !== undefined && data.closedOn < filters.from) continue;
      if (filters.to !== undefined && data.closedOn > filters.to) continue;
      found.push({
        position,
        round: {
          eventId,
          roundId: data.roundId,
          companyId: data.companyId,
          roundType: data.roundType,
          roundLabel: data.roundLabel ?? null,
          amount: { value: data.amount.value, currency: data.amount.currency, qualifier: data.amount.qualifier ?? 'exact' },
          closedOn: data.closedOn,
          investors: [...data.investors],
          technologyRoutes: [...data.technologyRoutes],
        },
      });
    }
  }
  found.sort((a, b) => (a.round.closedOn !== b.round.closedOn ? compareIds(a.round.closedOn, b.round.closedOn) : a.position - b.position));
  const rounds = found.map((item) => item.round);
  return answerOf(state, time, cut, { rounds, totals: totalsOf(rounds) });
}

const totalsOf = (rounds: FinancingRoundView[]): CurrencyTotal[] => {
  const totals = new Map<string, CurrencyTotal & { inexact: Set<AmountQualifier> }>();
  for (const { amount } of rounds) {
    const total = totals.get(amount.currency) ?? { currency: amount.currency, value: 0, rounds: 0, qualifier: 'exact', inexact: new Set() };
    total.value += amount.value;
    total.rounds += 1;
    if (amount.qualifier !== 'exact') total.inexact.add(amount.qualifier);
    totals.set(amount.currency, total);
  }
  return [...totals.values()]
    .sort((a, b) => compareIds(a.currency, b.currency))
    .map(({ currency, value, rounds: count, inexact }) => ({
      currency,
      value: roundQuantity(value),
      rounds: count,
      qualifier: inexact.size === 0 ? 'exact' : inexact.size === 1 ? [...inexact][0] : 'about',
    }));
};
