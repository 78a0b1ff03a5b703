export const PLANT_STATUSES = ['announced', 'under-construction', 'operational', 'suspended', 'cancelled'] as const;
export type PlantStatus = (typeof PLANT_STATUSES)[number];

/** The statuses an announcement may open with (news often first reports a construction start). */
export const INITIAL_PLANT_STATUSES = ['announced', 'under-construction'] as const;
export type InitialPlantStatus = (typeof INITIAL_PLANT_STATUSES)[number];

export interface CapacityAnnounced {
  type: 'CapacityAnnounced';
  data: {
    plantId: string;
    companyId: string;
    country: string;
    region?: string;
    name?: string;
    technologyRoute: string;
    plannedCapacityGwh: number;
    announcedOn: string;
    status: InitialPlantStatus;
    /** Partial date as reported: `2027`, `2027-H2`, `2027-Q3`, `2027-09`. */
    targetOn?: string;
    partners: string[];
  };
}

export interface PlantConstructionStarted {
  type: 'PlantConstructionStarted';
  data: { plantId: string; startedOn: string };
}

export interface PlantCommissioned {
  type: 'PlantCommissioned';
  data: { plantId: string; commissionedOn: string; capacityGwh: number; phase?: string };
}

export interface PlantCapacityRevised {
  type: 'PlantCapacityRevised';
  data: { plantId: string; plannedCapacityGwh: number; revisedOn: string; reason?: string };
}

export interface PlantSuspended {
  type: 'PlantSuspended';
  data: { plantId: string; on: string; reason?: string };
}

export interface PlantResumed {
  type: 'PlantResumed';
  data: { plantId: string; on: string; reason?: string };
}

export interface PlantCancelled {
  type: 'PlantCancelled';
  data: { plantId: string; on: string; reason?: string };
}

export type PlantEvent =
  | CapacityAnnounced
  | PlantConstructionStarted
  | PlantCommissioned
  | PlantCapacityRevised
  | PlantSuspended
  | PlantResumed
  | PlantCancelled;
