import { DomainEvent, PlantStatus } from '@bsc/domain';
import { Cut, EntityTimeline, KeptStates, foldLatestByEffectiveDate, shallowCopy } from '../engine/fact-timeline';

/** A plant as it stands at (asOf, knownAt). */
export interface PlantAt {
  plantId: string;
  companyId: string;
  name: string | null;
  country: string;
  technologyRoute: string;
  status: PlantStatus;
  plannedGwh: number;
  commissionedGwh: number;
  /** A construction start or a commissioning is effective ≤ asOf (or the announcement said so). */
  constructionStarted: boolean;
  /** Effective date of the first commissioning ≤ asOf, if any. */
  firstCommissionedOn: string | null;
}

/**
 * Folds a plant's facts at the cut in effective-date order (then log position), so a correction that
 * moves a date re-orders the history instead of being applied out of sequence. Undefined while no
 * announcement is effective ≤ asOf and known at knownAt (or it was retracted).
 */
export const plantAt = (timeline: EntityTimeline | undefined, cut: Cut, kept: KeptStates = 'make'): Readonly<PlantAt> | undefined =>
  foldLatestByEffectiveDate<PlantAt | undefined>(timeline, cut, undefined, foldPlant, shallowCopy, kept);

/**
 * One step of `plantAt`: the plant after `event` (facts taken in effective-date order). Mutates and
 * returns `plant` except on an announcement, which starts a new object.
 */
export const foldPlant = (plant: PlantAt | undefined, event: DomainEvent, effectiveOn: string | undefined): PlantAt | undefined => {
  if (event.type === 'CapacityAnnounced') {
    const { plantId, companyId, name, country, technologyRoute, plannedCapacityGwh, status } = event.data;
    const started = status === 'under-construction';
    return {
      plantId,
      companyId,
      name: name ?? null,
      country,
      technologyRoute,
      status: started ? 'under-construction' : 'announced',
      plannedGwh: plannedCapacityGwh,
      commissionedGwh: plant?.commissionedGwh ?? 0,
      constructionStarted: started || (plant?.constructionStarted ?? false),
      firstCommissionedOn: plant?.firstCommissionedOn ?? null,
    };
  }
  if (!plant) return plant;
  switch (event.type) {
    case 'PlantConstructionStarted':
      plant.constructionStarted = true;
      if (plant.status === 'announced') plant.status = 'under-construction';
      break;
    case 'PlantCommissioned':
      plant.commissionedGwh += event.data.capacityGwh;
      plant.constructionStarted = true;
      plant.firstCommissionedOn ??= effectiveOn ?? null;
      if (plant.status === 'announced' || plant.status === 'under-construction') plant.status = 'operational';
      break;
    case 'PlantCapacityRevised':
      plant.plannedGwh = event.data.plannedCapacityGwh;
      break;
    case 'PlantSuspended':
      if (plant.status !== 'cancelled') plant.status = 'suspended';
      break;
    case 'PlantResumed':
      if (plant.status === 'suspended') plant.status = activeStatus(plant);
      break;
    case 'PlantCancelled':
      plant.status = 'cancelled';
      break;
  }
  return plant;
};

const activeStatus = (plant: PlantAt): PlantStatus =>
  plant.commissionedGwh > 0 ? 'operational' : plant.constructionStarted ? 'under-construction' : 'announced';
