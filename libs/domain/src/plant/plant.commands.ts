import { CapacityAnnounced, InitialPlantStatus } from './plant.events';

/** First word on a plant. `status` defaults to `announced`, `partners` to empty. */
export type AnnounceCapacity = { kind: 'capacity-announcement' } & Omit<
  CapacityAnnounced['data'],
  'status' | 'partners'
> & { status?: InitialPlantStatus; partners?: string[] };

export interface StartConstruction {
  kind: 'construction-start';
  plantId: string;
  startedOn: string;
}

export interface CommissionPlant {
  kind: 'commissioning';
  plantId: string;
  commissionedOn: string;
  capacityGwh: number;
  phase?: string;
}

export interface ReviseCapacity {
  kind: 'capacity-revision';
  plantId: string;
  plannedCapacityGwh: number;
  revisedOn: string;
  reason?: string;
}

export interface SuspendPlant {
  kind: 'suspension';
  plantId: string;
  on: string;
  reason?: string;
}

export interface ResumePlant {
  kind: 'resumption';
  plantId: string;
  on: string;
  reason?: string;
}

export interface CancelPlant {
  kind: 'cancellation';
  plantId: string;
  on: string;
  reason?: string;
}

export type PlantCommand =
  | AnnounceCapacity
  | StartConstruction
  | CommissionPlant
  | ReviseCapacity
  | SuspendPlant
  | ResumePlant
  | CancelPlant;
