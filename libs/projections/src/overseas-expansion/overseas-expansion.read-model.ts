import { bucketsOfPlant } from '../company-capacity/capacity-buckets';
import { companiesAt, compareIds, plantsOfCompany } from '../company-capacity/company-capacity.read-model';
import { AnswerEcho, QueryTime, answerOf, cutOf, roundQuantity } from '../engine/query-time';
import { finishNow } from '../engine/in-slices';
import { ReadModelState } from '../engine/read-model-state';

export interface OverseasExpansionFilters {
  headquartersCountry?: string;
  technologyRoute?: string;
}

export interface DestinationCountry {
  country: string;
  operationalGwh: number;
  pipelineGwh: number;
  plantIds: string[];
}

export interface OverseasExpansionRow {
  companyId: string;
  name: string;
  headquartersCountry: string;
  domesticOperationalGwh: number;
  overseasOperationalGwh: number;
  domesticPipelineGwh: number;
  overseasPipelineGwh: number;
  overseasShare: number;
  countries: DestinationCountry[];
}

export interface OverseasExpansionTotals {
  domesticOperationalGwh: number;
  overseasOperationalGwh: number;
  domesticPipelineGwh: number;
  overseasPipelineGwh: number;
  overseasShare: number;
}

export interface OverseasExpansionAnswer extends AnswerEcho {
  companies: OverseasExpansionRow[];
  totals: OverseasExpansionTotals;
}

/** Overseas operational over all operational capacity, 0 when there is none. */
const shareOf = (overseas: number, domestic: number): number =>
  overseas + domestic > 0 ? roundQuantity(overseas / (overseas + domestic)) : 0;

/**
 * Domestic vs overseas capacity per company at (asOf, knownAt): a plant is overseas when its country
 * differs from its company's headquarters country. `countries` lists the overseas destinations with
 * the plants that hold operational or pipeline capacity there (suspended and cancelled plants count in
 * no bucket here, as in company capacity). With a `technologyRoute` filter only companies with a
 * matching plant are listed.
 *
 * @example
 *   overseasExpansion(state, { asOf: '2025-12-31', knownAt: now }, { headquartersCountry: 'CN' }).totals.overseasShare
 */
export const overseasExpansion = (state: ReadModelState, time: QueryTime, filters: OverseasExpansionFilters = {}): OverseasExpansionAnswer =>
  finishNow(overseasExpansionSteps(state, time, filters));

/** `overseasExpansion` as steps, a company per step, for an answer computed between other work (`finishInSlices`). */
export function* overseasExpansionSteps(state: ReadModelState, time: QueryTime, filters: OverseasExpansionFilters = {}): Generator<void, OverseasExpansionAnswer> {
  const cut = cutOf(time);
  const companies: OverseasExpansionRow[] = [];
  const totals = { domesticOperationalGwh: 0, overseasOperationalGwh: 0, domesticPipelineGwh: 0, overseasPipelineGwh: 0 };
  for (const company of companiesAt(state, cut)) {
    yield;
    if (filters.headquartersCountry !== undefined && company.headquartersCountry !== filters.headquartersCountry) continue;
    const plants = plantsOfCompany(state, company.companyId, cut, 'use').filter(
      (plant) => filters.technologyRoute === undefined || plant.technologyRoute === filters.technologyRoute,
    );
    if (filters.technologyRoute !== undefined && plants.length === 0) continue;
    const sums = { domesticOperationalGwh: 0, overseasOperationalGwh: 0, domesticPipelineGwh: 0, overseasPipelineGwh: 0 };
    const destinations = new Map<string, DestinationCountry>();
    for (const plant of plants) {
      const { operationalGwh, pipelineGwh } = bucketsOfPlant(plant);
      if (plant.country === company.headquartersCountry) {
        sums.domesticOperationalGwh += operationalGwh;
        sums.domesticPipelineGwh += pipelineGwh;
        continue;
      }
      sums.overseasOperationalGwh += operationalGwh;
      sums.overseasPipelineGwh += pipelineGwh;
      if (operationalGwh + pipelineGwh === 0) continue;
      const destination = destinations.get(plant.country) ?? { country: plant.country, operationalGwh: 0, pipelineGwh: 0, plantIds: [] };
      destination.operationalGwh += operationalGwh;
      destination.pipelineGwh += pipelineGwh;
      destination.plantIds.push(plant.plantId);
      destinations.set(plant.country, destination);
    }
    totals.domesticOperationalGwh += sums.domesticOperationalGwh;
    totals.overseasOperationalGwh += sums.overseasOperationalGwh;
    totals.domesticPipelineGwh += sums.domesticPipelineGwh;
    totals.overseasPipelineGwh += sums.overseasPipelineGwh;
    companies.push({
      companyId: company.companyId,
      name: company.name,
      headquartersCountry: company.headquartersCountry,
      ...roundSums(sums),
      overseasShare: shareOf(sums.overseasOperationalGwh, sums.domesticOperationalGwh),
      countries: [...destinations.values()]
        .sort((a, b) => compareIds(a.country, b.country))
        .map((destination) =>
          Object.assign(destination, { operationalGwh: roundQuantity(destination.operationalGwh), pipelineGwh: roundQuantity(destination.pipelineGwh) }),
        ),
    });
  }
  return answerOf(state, time, cut, {
    companies,
    totals: Object.assign(roundSums(totals), { overseasShare: shareOf(totals.overseasOperationalGwh, totals.domesticOperationalGwh) }),
  });
}

const roundSums = <T extends Record<string, number>>(sums: T): T =>
  Object.fromEntries(Object.entries(sums).map(([key, value]) => [key, roundQuantity(value)])) as T;
