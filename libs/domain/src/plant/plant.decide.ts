import { Decider, isKnownRoute, KnownReferences, withoutUndefined } from '../shared/decider';
import { InvalidValue, NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { MAX_PLANT_CAPACITY_GWH } from '../shared/values';
import {
  AnnounceCapacity,
  CancelPlant,
  CommissionPlant,
  PlantCommand,
  ResumePlant,
  ReviseCapacity,
  StartConstruction,
  SuspendPlant,
} from './plant.commands';
import { PlantEvent } from './plant.events';
import { initialPlantState, evolvePlant, PlantState } from './plant.state';

const requireCapacity = (field: string, gwh: number): void => {
  if (!(gwh > 0)) throw new InvalidValue(field, 'must be greater than 0 GWh');
  if (gwh > MAX_PLANT_CAPACITY_GWH) throw new InvalidValue(field, `must be at most ${MAX_PLANT_CAPACITY_GWH} GWh`);
};

/** Every command but the announcement addresses a plant by its path id: it must exist and not be cancelled. */
const requireLivePlant = (plantId: string, plant: PlantState, what: string): void => {
  if (plant.status === 'none') throw new NotFound(`plant ${plantId}`);
  if (plant.status === 'cancelled') throw new RuleViolated(`plant ${plantId} is cancelled: no ${what}`);
};

const requireNotBefore = (on: string, earliest: string | undefined, message: string): void => {
  if (earliest !== undefined && on < earliest) throw new RuleViolated(`${message} (${on} is before ${earliest})`);
};

const announce = (command: AnnounceCapacity, plant: PlantState, known: KnownReferences): PlantEvent[] => {
  if (plant.status !== 'none') throw new RuleViolated(`plant ${command.plantId} is already announced`);
  if (!known.companies.has(command.companyId)) {
    throw new ReferenceNotFound(`company ${command.companyId} does not exist`);
  }
  if (!isKnownRoute(command.technologyRoute, known)) {
    throw new ReferenceNotFound(`technology route ${command.technologyRoute} does not exist`);
  }
  requireCapacity('plannedCapacityGwh', command.plannedCapacityGwh);
  const { kind: _kind, status = 'announced', partners = [], ...rest } = command;
  return [{ type: 'CapacityAnnounced', data: withoutUndefined(Object.assign(rest, { status, partners })) }];
};

const startConstruction = (command: StartConstruction, plant: PlantState): PlantEvent[] => {
  requireLivePlant(command.plantId, plant, 'construction start');
  if (plant.status === 'suspended') throw new RuleViolated(`plant ${command.plantId} is suspended: resume it first`);
  if (plant.status !== 'announced') throw new RuleViolated(`construction of plant ${command.plantId} has already started`);
  requireNotBefore(command.startedOn, plant.announcedOn, 'construction before announcement is refused');
  const { plantId, startedOn } = command;
  return [{ type: 'PlantConstructionStarted', data: { plantId, startedOn } }];
};

const commission = (command: CommissionPlant, plant: PlantState): PlantEvent[] => {
  requireLivePlant(command.plantId, plant, 'commissioning');
  if (plant.status === 'suspended') throw new RuleViolated(`plant ${command.plantId} is suspended: resume it first`);
  requireNotBefore(command.commissionedOn, plant.announcedOn, 'commissioning before announcement is refused');
  requireNotBefore(command.commissionedOn, plant.constructionStartedOn, 'commissioning before construction start is refused');
  requireCapacity('capacityGwh', command.capacityGwh);
  // Phases add up; together they still describe one plant.
  if (plant.commissionedGwh + command.capacityGwh > MAX_PLANT_CAPACITY_GWH) {
    throw new InvalidValue('capacityGwh', `the plant's commissioned capacity would exceed ${MAX_PLANT_CAPACITY_GWH} GWh`);
  }
  const { kind: _kind, ...data } = command;
  return [{ type: 'PlantCommissioned', data: withoutUndefined(data) }];
};

const revise = (command: ReviseCapacity, plant: PlantState): PlantEvent[] => {
  requireLivePlant(command.plantId, plant, 'capacity revision');
  requireNotBefore(command.revisedOn, plant.announcedOn, 'a revision before the announcement is refused');
  requireCapacity('plannedCapacityGwh', command.plannedCapacityGwh);
  const { kind: _kind, ...data } = command;
  return [{ type: 'PlantCapacityRevised', data: withoutUndefined(data) }];
};

const suspend = (command: SuspendPlant, plant: PlantState): PlantEvent[] => {
  requireLivePlant(command.plantId, plant, 'suspension');
  if (plant.status === 'suspended') throw new RuleViolated(`plant ${command.plantId} is already suspended`);
  requireNotBefore(command.on, plant.latestOn, 'a suspension before the plant\'s latest event is refused');
  const { kind: _kind, ...data } = command;
  return [{ type: 'PlantSuspended', data: withoutUndefined(data) }];
};

const resume = (command: ResumePlant, plant: PlantState): PlantEvent[] => {
  requireLivePlant(command.plantId, plant, 'resumption');
  if (plant.status !== 'suspended') throw new RuleViolated(`plant ${command.plantId} is not suspended`);
  requireNotBefore(command.on, plant.latestOn, 'a resumption before the plant\'s latest event is refused');
  const { kind: _kind, ...data } = command;
  return [{ type: 'PlantResumed', data: withoutUndefined(data) }];
};

const cancel = (command: CancelPlant, plant: PlantState): PlantEvent[] => {
  if (plant.status === 'none') throw new NotFound(`plant ${command.plantId}`);
  if (plant.status === 'cancelled') throw new RuleViolated(`plant ${command.plantId} is already cancelled`);
  requireNotBefore(command.on, plant.latestOn, 'a cancellation before the plant\'s latest event is refused');
  const { kind: _kind, ...data } = command;
  return [{ type: 'PlantCancelled', data: withoutUndefined(data) }];
};

/**
 * Decides what a plant command adds to `plant-<plantId>`.
 *
 * @throws NotFound for any command but the announcement on a plant never announced
 * @throws RuleViolated for a second announcement, a transition the lifecycle forbids, or a date going backwards
 * @throws ReferenceNotFound for an announcement naming an unknown company or route
 * @throws InvalidValue for a capacity that is not in (0, MAX_PLANT_CAPACITY_GWH]
 */
export const decidePlant = (command: PlantCommand, state: PlantState, known: KnownReferences): PlantEvent[] => {
  switch (command.kind) {
    case 'capacity-announcement':
      return announce(command, state, known);
    case 'construction-start':
      return startConstruction(command, state);
    case 'commissioning':
      return commission(command, state);
    case 'capacity-revision':
      return revise(command, state);
    case 'suspension':
      return suspend(command, state);
    case 'resumption':
      return resume(command, state);
    case 'cancellation':
      return cancel(command, state);
  }
};

/** The plant aggregate as one value. */
export const plantDecider: Decider<PlantCommand, PlantState, PlantEvent> = {
  initialState: initialPlantState,
  evolve: evolvePlant,
  decide: decidePlant,
};
