import { streamIds } from '@bsc/domain';
import { Cut, KeptStates } from '../engine/fact-timeline';
import { finishNow } from '../engine/in-slices';
import { AnswerEcho, QueryTime, answerOf, cutOf, echoOf } from '../engine/query-time';
import { ReadModelState, streamsTagged, tag, timelinesTagged } from '../engine/read-model-state';
import {
  BucketsBy,
  CapacityBuckets,
  addBuckets,
  addBucketsBy,
  bucketsOfPlant,
  roundBuckets,
  roundBucketsBy,
  zeroBuckets,
} from './capacity-buckets';
import { CompanyAt, companyAt } from './company-profile';
import { PlantAt, plantAt } from './plant-state';
import { TimelineInterval, periodEnds } from './period-ends';

/** Filters of the company-capacity list. Plant filters (route, country) select plants, not companies. */
export interface CompanyCapacityFilters {
  technologyRoute?: string;
  /** The plant's country. */
  country?: string;
  headquartersCountry?: string;
}

export interface CompanyCapacityRow extends CapacityBuckets {
  companyId: string;
  name: string;
  headquartersCountry: string;
  byRoute: BucketsBy;
  byCountry: BucketsBy;
}

export interface CapacityTotals extends CapacityBuckets {
  byRoute: BucketsBy;
  byCountry: BucketsBy;
}

export interface CompanyCapacityAnswer extends AnswerEcho {
  companies: CompanyCapacityRow[];
  totals: CapacityTotals;
}

export interface CapacityPlantRow {
  plantId: string;
  name: string | null;
  country: string;
  technologyRoute: string;
  status: PlantAt['status'];
  plannedGwh: number;
  commissionedGwh: number;
}

export interface OneCompanyCapacityAnswer extends AnswerEcho, CompanyCapacityRow {
  plants: CapacityPlantRow[];
}

/**
 * The plants of a registered company at the cut: announced ≤ asOf, known at knownAt, still of this
 * company after corrections. Cost grows with the company's plants only.
 */
export const plantsOfCompany = (state: ReadModelState, companyId: string, cut: Cut, kept: KeptStates = 'make'): Readonly<PlantAt>[] => {
  const plants: Readonly<PlantAt>[] = [];
  for (const timeline of timelinesTagged(state, tag.plantsOfCompany(companyId))) {
    const plant = plantAt(timeline, cut, kept);
    if (plant && plant.companyId === companyId) plants.push(plant);
  }
  return plants.sort((a, b) => compareIds(a.plantId, b.plantId));
};

/** Every company whose registration is known at knownAt, by id. */
export const companiesAt = (state: ReadModelState, cut: Cut): Readonly<CompanyAt>[] => {
  const companies: Readonly<CompanyAt>[] = [];
  for (const streamId of streamsTagged(state, tag.companies)) {
    const company = companyAt(state.entities.get(streamId), cut);
    if (company) companies.push(company);
  }
  return companies.sort((a, b) => compareIds(a.companyId, b.companyId));
};

export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const matchesPlant = (plant: PlantAt, filters: CompanyCapacityFilters): boolean =>
  (filters.technologyRoute === undefined || plant.technologyRoute === filters.technologyRoute) &&
  (filters.country === undefined || plant.country === filters.country);

const capacityRow = (company: Readonly<CompanyAt>, plants: readonly Readonly<PlantAt>[]): CompanyCapacityRow => {
  const buckets = zeroBuckets();
  const byRoute: BucketsBy = {};
  const byCountry: BucketsBy = {};
  for (const plant of plants) {
    const contribution = bucketsOfPlant(plant);
    addBuckets(buckets, contribution);
    addBucketsBy(byRoute, plant.technologyRoute, contribution);
    addBucketsBy(byCountry, plant.country, contribution);
  }
  return {
    companyId: company.companyId,
    name: company.name,
    headquartersCountry: company.headquartersCountry,
    ...roundBuckets(buckets),
    byRoute: roundBucketsBy(byRoute),
    byCountry: roundBucketsBy(byCountry),
  };
};

/**
 * Capacity per company at (asOf, knownAt): only companies whose registration is known at knownAt, only
 * plants announced ≤ asOf. Without plant filters every such company is listed (zeros included); with a
 * `technologyRoute` or `country` filter, only companies with at least one matching plant. `totals` sums
 * the listed companies. `byRoute`/`byCountry` carry every bucket (the contract's
 * `operationalGwh`/`pipelineGwh` among them).
 *
 * @example
 *   companyCapacity(state, { asOf: '2024-12-31', knownAt: '2025-03-01T00:00:00Z' }, { headquartersCountry: 'CN' })
 */
export const companyCapacity = (state: ReadModelState, time: QueryTime, filters: CompanyCapacityFilters = {}): CompanyCapacityAnswer =>
  finishNow(companyCapacitySteps(state, time, filters));

/** `companyCapacity` as steps, a company per step, for an answer computed between other work (`finishInSlices`). */
export function* companyCapacitySteps(state: ReadModelState, time: QueryTime, filters: CompanyCapacityFilters = {}): Generator<void, CompanyCapacityAnswer> {
  const cut = cutOf(time);
  const plantFiltered = filters.technologyRoute !== undefined || filters.country !== undefined;
  const companies: CompanyCapacityRow[] = [];
  const totals: CapacityTotals = Object.assign(zeroBuckets(), { byRoute: {}, byCountry: {} });
  for (const company of companiesAt(state, cut)) {
    yield;
    if (filters.headquartersCountry !== undefined && company.headquartersCountry !== filters.headquartersCountry) continue;
    const plants = plantsOfCompany(state, company.companyId, cut, 'use').filter((plant) => matchesPlant(plant, filters));
    if (plantFiltered && plants.length === 0) continue;
    const row = capacityRow(company, plants);
    companies.push(row);
    addBuckets(totals, row);
    for (const [route, buckets] of Object.entries(row.byRoute)) addBucketsBy(totals.byRoute, route, buckets);
    for (const [country, buckets] of Object.entries(row.byCountry)) addBucketsBy(totals.byCountry, country, buckets);
  }
  return answerOf(state, time, cut, {
    companies,
    totals: Object.assign(roundBuckets(totals), { byRoute: roundBucketsBy(totals.byRoute), byCountry: roundBucketsBy(totals.byCountry) }),
  });
}

/**
 * One company's capacity with its plants; undefined when its registration is not known at knownAt
 * (the API answers 404).
 */
export const companyCapacityOf = (
  state: ReadModelState,
  companyId: string,
  time: QueryTime,
): OneCompanyCapacityAnswer | undefined => {
  const cut = cutOf(time);
  const company = companyAt(state.entities.get(streamIds.company(companyId)), cut);
  if (!company) return undefined;
  const plants = plantsOfCompany(state, companyId, cut);
  return answerOf(
    state,
    time,
    cut,
    Object.assign(capacityRow(company, plants), {
      plants: plants.map(({ plantId, name, country, technologyRoute, status, plannedGwh, commissionedGwh }) => ({
        plantId,
        name,
        country,
        technologyRoute,
        status,
        plannedGwh,
        commissionedGwh,
      })),
    }),
  );
};

export interface CapacityTimelineParams {
  from: string;
  to: string;
  interval: TimelineInterval;
  knownAt: string;
}

export interface CapacityTimelinePoint extends CapacityBuckets {
  asOf: string;
}

export interface CapacityTimelineAnswer {
  companyId: string;
  from: string;
  to: string;
  interval: TimelineInterval;
  /** Echoed as `asOf` of the last point (`to`). */
  asOf: string;
  knownAt: string;
  position: number;
  points: CapacityTimelinePoint[];
}

/**
 * A company's buckets at the end of each period from `from` to `to` (the last point clipped to `to`), all
 * as known at knownAt. Undefined when the company is not known at knownAt. Throws RangeError for a
 * reversed or too long range (see `periodEnds`).
 *
 * @example
 *   companyCapacityTimeline(state, 'catl', { from: '2021-01-01', to: '2024-06-30', interval: 'year', knownAt })
 */
export const companyCapacityTimeline = (
  state: ReadModelState,
  companyId: string,
  params: CapacityTimelineParams,
): CapacityTimelineAnswer | undefined => {
  const ends = periodEnds(params.from, params.to, params.interval);
  const base = cutOf({ asOf: params.to, knownAt: params.knownAt });
  if (!companyAt(state.entities.get(streamIds.company(companyId)), base)) return undefined;
  const points = ends.map((asOf) => {
    const cut = { asOf, knownAtMs: base.knownAtMs };
    const buckets = zeroBuckets();
    for (const plant of plantsOfCompany(state, companyId, cut)) addBuckets(buckets, bucketsOfPlant(plant));
    return { asOf, ...roundBuckets(buckets) };
  });
  return {
    companyId,
    from: params.from,
    to: params.to,
    interval: params.interval,
    ...echoOf(state, { asOf: params.to, knownAt: params.knownAt }, base),
    points,
  };
};
