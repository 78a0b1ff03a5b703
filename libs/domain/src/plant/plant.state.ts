import { PlantEvent, PlantStatus } from './plant.events';

/** What the plant decider needs: its status and the dates that later events may not precede. */
export interface PlantState {
  status: 'none' | PlantStatus;
  /** Where a resumption returns to. */
  statusBeforeSuspension?: PlantStatus;
  announcedOn?: string;
  constructionStartedOn?: string;
  /** The latest date of any event of the plant. */
  latestOn?: string;
  plannedCapacityGwh: number;
  commissionedGwh: number;
}

export const initialPlantState: PlantState = { status: 'none', plannedCapacityGwh: 0, commissionedGwh: 0 };

const later = (a: string | undefined, b: string): string => (a !== undefined && a > b ? a : b);

/** Folds one plant event; other types leave the state unchanged. */
export const evolvePlant = (state: PlantState, event: { type: string; data: unknown }): PlantState => {
  const e = event as PlantEvent;
  switch (e.type) {
    case 'CapacityAnnounced':
      return Object.assign({}, state, {
        status: e.data.status,
        announcedOn: e.data.announcedOn,
        latestOn: later(state.latestOn, e.data.announcedOn),
        plannedCapacityGwh: e.data.plannedCapacityGwh,
      });
    case 'PlantConstructionStarted':
      return Object.assign({}, state, {
        status: 'under-construction',
        constructionStartedOn: e.data.startedOn,
        latestOn: later(state.latestOn, e.data.startedOn),
      });
    case 'PlantCommissioned':
      return Object.assign({}, state, {
        status: 'operational',
        commissionedGwh: state.commissionedGwh + e.data.capacityGwh,
        latestOn: later(state.latestOn, e.data.commissionedOn),
      });
    case 'PlantCapacityRevised':
      return Object.assign({}, state, { plannedCapacityGwh: e.data.plannedCapacityGwh, latestOn: later(state.latestOn, e.data.revisedOn) });
    case 'PlantSuspended':
      return Object.assign({}, state, {
        status: 'suspended',
        statusBeforeSuspension: state.status === 'none' ? undefined : state.status,
        latestOn: later(state.latestOn, e.data.on),
      });
    case 'PlantResumed':
      return Object.assign({}, state, {
        status: state.statusBeforeSuspension ?? 'announced',
        statusBeforeSuspension: undefined,
        latestOn: later(state.latestOn, e.data.on),
      });
    case 'PlantCancelled':
      return Object.assign({}, state, { status: 'cancelled', latestOn: later(state.latestOn, e.data.on) });
    default:
      return state;
  }
};
