import { roundQuantity } from '../engine/query-time';
import { PlantAt } from './plant-state';

/**
 * The company-capacity buckets (GWh), as domain.md defines them. `suspendedGwh` is what a suspended
 * plant holds: its commissioned capacity plus the planned remainder, i.e. max(planned, commissioned).
 * `cancelledGwh` is the planned capacity of cancelled plants. Neither is counted in the other buckets.
 */
export interface CapacityBuckets {
  operationalGwh: number;
  underConstructionGwh: number;
  announcedGwh: number;
  pipelineGwh: number;
  suspendedGwh: number;
  cancelledGwh: number;
}

/** Buckets broken down by a key (technology route or plant country). */
export type BucketsBy = Record<string, CapacityBuckets>;

export const zeroBuckets = (): CapacityBuckets => ({
  operationalGwh: 0,
  underConstructionGwh: 0,
  announcedGwh: 0,
  pipelineGwh: 0,
  suspendedGwh: 0,
  cancelledGwh: 0,
});

/**
 * One plant's contribution. A plant that is operational but not fully commissioned also counts its
 * remainder as under construction; a commissioning implies construction started even without the event.
 */
export const bucketsOfPlant = (plant: PlantAt): CapacityBuckets => {
  const buckets = zeroBuckets();
  const remaining = Math.max(plant.plannedGwh - plant.commissionedGwh, 0);
  switch (plant.status) {
    case 'cancelled':
      buckets.cancelledGwh = plant.plannedGwh;
      return buckets;
    case 'suspended':
      buckets.suspendedGwh = plant.commissionedGwh + remaining;
      return buckets;
    case 'announced':
      buckets.announcedGwh = plant.plannedGwh;
      break;
    default:
      buckets.operationalGwh = plant.commissionedGwh;
      if (plant.constructionStarted) buckets.underConstructionGwh = remaining;
  }
  buckets.pipelineGwh = buckets.underConstructionGwh + buckets.announcedGwh;
  return buckets;
};

/** Adds `from` into `into` and returns `into`. */
export const addBuckets = (into: CapacityBuckets, from: CapacityBuckets): CapacityBuckets => {
  into.operationalGwh += from.operationalGwh;
  into.underConstructionGwh += from.underConstructionGwh;
  into.announcedGwh += from.announcedGwh;
  into.pipelineGwh += from.pipelineGwh;
  into.suspendedGwh += from.suspendedGwh;
  into.cancelledGwh += from.cancelledGwh;
  return into;
};

export const addBucketsBy = (into: BucketsBy, key: string, from: CapacityBuckets): void => {
  if (!Object.hasOwn(into, key)) into[key] = zeroBuckets();
  addBuckets(into[key], from);
};

export const roundBuckets = (buckets: CapacityBuckets): CapacityBuckets => ({
  operationalGwh: roundQuantity(buckets.operationalGwh),
  underConstructionGwh: roundQuantity(buckets.underConstructionGwh),
  announcedGwh: roundQuantity(buckets.announcedGwh),
  pipelineGwh: roundQuantity(buckets.pipelineGwh),
  suspendedGwh: roundQuantity(buckets.suspendedGwh),
  cancelledGwh: roundQuantity(buckets.cancelledGwh),
});

/** Rounded copy with keys in sorted order, so answers compare and diff stably. */
export const roundBucketsBy = (by: BucketsBy): BucketsBy => {
  const rounded: BucketsBy = {};
  for (const key of Object.keys(by).sort()) rounded[key] = roundBuckets(by[key]);
  return rounded;
};
