import { isDomainEventType } from '../events';
import { Decider, isKnownRoute, KnownReferences } from '../shared/decider';
import { InvalidValue, NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { MAX_PLANT_CAPACITY_GWH, MAX_TARIFF_RATE_PERCENT } from '../shared/values';
import { AmendmentCommand, CorrectFact, RetractFact } from './amendment.commands';
import { applyCorrections, CORRECTABLE_FIELDS, ID_FIELDS } from './amendment.corrections';
import { AmendmentEvent } from './amendment.events';
import {
  AmendableEvent,
  AmendmentState,
  evolveAmendments,
  initialAmendmentState,
  isAmendmentType,
  StreamFact,
} from './amendment.state';

/** The route ids a correction's changes refer to, for the application to look up. */
export const routesNamedIn = (changes: Record<string, unknown>): string[] => {
  const listed: unknown[] = Array.isArray(changes.technologyRoutes) ? changes.technologyRoutes : [];
  const routes = [changes.technologyRoute, ...listed];
  return routes.filter((route): route is string => typeof route === 'string');
};

const amendableFact = (eventId: string, state: AmendmentState, what: string): StreamFact => {
  const fact = state.facts.get(eventId);
  if (!fact) throw new NotFound(`event ${eventId}`);
  if (isAmendmentType(fact.type)) {
    throw new RuleViolated(`event ${eventId} is a ${fact.type}: an amendment cannot be amended`);
  }
  if (fact.retracted) throw new RuleViolated(`event ${eventId} is retracted: no ${what}`);
  return fact;
};

const requireCorrectableFields = (type: string, changes: Record<string, unknown>): void => {
  const correctable = isDomainEventType(type) ? CORRECTABLE_FIELDS[type] : [];
  for (const field of Object.keys(changes)) {
    if (ID_FIELDS.includes(field)) {
      throw new InvalidValue(`changes.${field}`, 'identifies the fact and cannot be corrected (retract it instead)');
    }
    if (!correctable.includes(field)) {
      throw new InvalidValue(`changes.${field}`, `is not a correctable field of ${type}`);
    }
  }
};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The value rules the domain owns still hold once the correction is applied. */
const requireValidValues = (type: string, data: Record<string, unknown>): void => {
  const inRange = (field: string, min: number, max: number, minExclusive: boolean) => {
    const value = data[field];
    if (value === undefined) return;
    const ok = typeof value === 'number' && (minExclusive ? value > min : value >= min) && value <= max;
    if (!ok) {
      throw new InvalidValue(`changes.${field}`, `must be ${minExclusive ? 'above' : 'at least'} ${min} and at most ${max}`);
    }
  };
  if (type === 'CapacityAnnounced' || type === 'PlantCapacityRevised') {
    inRange('plannedCapacityGwh', 0, MAX_PLANT_CAPACITY_GWH, true);
  }
  if (type === 'PlantCommissioned') inRange('capacityGwh', 0, MAX_PLANT_CAPACITY_GWH, true);
  if (type === 'TariffMeasureImposed' || type === 'TariffRateChanged') {
    inRange('ratePercent', 0, MAX_TARIFF_RATE_PERCENT, false);
  }
  if (type === 'TariffMeasureImposed') {
    const { effectiveFrom, effectiveUntil } = data as { effectiveFrom?: string; effectiveUntil?: string };
    if (effectiveUntil !== undefined && effectiveFrom !== undefined && effectiveUntil <= effectiveFrom) {
      throw new InvalidValue('changes.effectiveUntil', `must be after effectiveFrom (${effectiveFrom})`);
    }
  }
  if (type === 'FinancingRoundClosed') {
    const amount = data.amount as { value?: unknown } | undefined;
    if (!(typeof amount?.value === 'number' && amount.value > 0)) {
      throw new InvalidValue('changes.amount.value', 'must be greater than 0');
    }
  }
};

const correct = (command: CorrectFact, state: AmendmentState, known: KnownReferences): AmendmentEvent[] => {
  const fact = amendableFact(command.eventId, state, 'correction');
  const fieldNames = Object.keys(command.changes);
  if (fieldNames.length === 0) throw new InvalidValue('changes', 'must name at least one field');
  requireCorrectableFields(fact.type, command.changes);
  const unknownRoute = routesNamedIn(command.changes).find((route) => !isKnownRoute(route, known));
  if (unknownRoute !== undefined) throw new ReferenceNotFound(`technology route ${unknownRoute} does not exist`);
  const current = applyCorrections(fact.data, fact.corrections);
  if (fieldNames.every((field) => sameValue(current[field], command.changes[field]))) {
    throw new InvalidValue('changes', `change nothing in event ${command.eventId}`);
  }
  requireValidValues(fact.type, applyCorrections(current, [command]));
  const { eventId, changes, reason } = command;
  return [{ type: 'FactCorrected', data: { eventId, correctedType: fact.type, changes, reason } }];
};

const retract = (command: RetractFact, state: AmendmentState): AmendmentEvent[] => {
  const fact = amendableFact(command.eventId, state, 'retraction');
  const { eventId, reason } = command;
  return [{ type: 'FactRetracted', data: { eventId, retractedType: fact.type, reason } }];
};

/**
 * Decides what a correction or retraction adds to the stream of the fact it amends. `state` is that
 * stream folded with {@link evolveAmendments}.
 *
 * @throws NotFound when the stream holds no event with that id
 * @throws RuleViolated when the target is itself an amendment, or is retracted
 * @throws InvalidValue for empty or no-op changes, a field that is unknown or an id, or a corrected value out of range
 * @throws ReferenceNotFound when a corrected route field names an unknown route
 */
export const decideAmendment = (
  command: AmendmentCommand,
  state: AmendmentState,
  known: KnownReferences,
): AmendmentEvent[] => {
  switch (command.kind) {
    case 'correction':
      return correct(command, state, known);
    case 'retraction':
      return retract(command, state);
  }
};

/** Amendments as one decider; it folds recorded events (`{ eventId, type, data }`), not bare events. */
export const amendmentDecider: Decider<AmendmentCommand, AmendmentState, AmendmentEvent, AmendableEvent> = {
  initialState: initialAmendmentState,
  evolve: evolveAmendments,
  decide: decideAmendment,
};
