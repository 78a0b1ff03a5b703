import { MeasureType, TariffMeasureImposed } from '@bsc/domain';
import { Cut, EntityTimeline, factsByEffectiveDate } from '../engine/fact-timeline';
import { AnswerEcho, QueryTime, answerOf, cutOf, roundQuantity } from '../engine/query-time';
import { ReadModelState, streamsTagged, tag } from '../engine/read-model-state';

export interface EffectiveTariffParams {
  importer: string;
  origin: string;
  product: string;
}

export interface TariffComponent {
  measureId: string;
  measureType: MeasureType;
  ratePercent: number;
  effectiveFrom: string;
  effectiveUntil: string | null;
  legalReference: string | null;
}

export interface EffectiveTariffAnswer extends AnswerEcho, EffectiveTariffParams {
  ratePercent: number;
  measures: TariffComponent[];
}

/**
 * One measure at the cut for one product: undefined unless imposed (effective ≤ asOf), covering the
 * product, before `effectiveUntil` (exclusive) and not revoked with `effectiveFrom` ≤ asOf. Its rate is
 * the latest change effective ≤ asOf that applies to the product (a change naming products applies to
 * those only), else the imposed rate.
 */
export const measureInForce = (timeline: EntityTimeline | undefined, cut: Cut & { asOf: string }, product: string) => {
  let imposed: TariffMeasureImposed['data'] | undefined;
  let ratePercent = 0;
  for (const { event } of factsByEffectiveDate(timeline, cut)) {
    if (event.type === 'TariffMeasureImposed') {
      imposed = event.data;
      ratePercent = event.data.ratePercent;
    } else if (event.type === 'TariffRateChanged') {
      if (!event.data.products || event.data.products.some((covered) => covered === product)) ratePercent = event.data.ratePercent;
    } else if (event.type === 'TariffMeasureRevoked') {
      return undefined;
    }
  }
  if (!imposed || !imposed.products.some((covered) => covered === product)) return undefined;
  if (imposed.effectiveUntil !== undefined && cut.asOf >= imposed.effectiveUntil) return undefined;
  return { imposed, ratePercent };
};

/**
 * The effective ad valorem tariff for (importer, origin, product) at (asOf, knownAt): the sum of the rates
 * of every measure in force, each listed as a component (by effective date, then id).
 *
 * @example
 *   effectiveTariff(state, { asOf: '2025-04-09', knownAt: now }, { importer: 'US', origin: 'CN', product: 'ev-battery' }).ratePercent // 82.4
 */
export const effectiveTariff = (state: ReadModelState, time: QueryTime, params: EffectiveTariffParams): EffectiveTariffAnswer => {
  const cut = cutOf(time);
  const measures: TariffComponent[] = [];
  for (const streamId of streamsTagged(state, tag.tariffLane(params.importer, params.origin))) {
    const found = measureInForce(state.entities.get(streamId), cut, params.product);
    if (!found || found.imposed.importer !== params.importer || found.imposed.origin !== params.origin) continue;
    measures.push({
      measureId: found.imposed.measureId,
      measureType: found.imposed.measureType,
      ratePercent: found.ratePercent,
      effectiveFrom: found.imposed.effectiveFrom,
      effectiveUntil: found.imposed.effectiveUntil ?? null,
      legalReference: found.imposed.legalReference ?? null,
    });
  }
  measures.sort((a, b) =>
    a.effectiveFrom !== b.effectiveFrom ? (a.effectiveFrom < b.effectiveFrom ? -1 : 1) : a.measureId < b.measureId ? -1 : a.measureId > b.measureId ? 1 : 0,
  );
  return answerOf(state, time, cut, {
    importer: params.importer,
    origin: params.origin,
    product: params.product,
    ratePercent: roundQuantity(measures.reduce((sum, measure) => sum + measure.ratePercent, 0)),
    measures,
  });
};
