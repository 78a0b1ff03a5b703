import { AmendmentEvent } from './amendment.events';
import { applyCorrections } from './amendment.corrections';

/** A recorded event as the amendment decider folds it (a `RecordedDomainEvent` fits). */
export interface AmendableEvent {
  eventId: string;
  type: string;
  data: unknown;
}

/** What the stream remembers of one recorded event. */
export interface StreamFact {
  type: string;
  /** As first recorded; apply `corrections` for the current data. */
  data: Record<string, unknown>;
  corrections: readonly { changes: Record<string, unknown> }[];
  retracted: boolean;
}

/** Every event of one stream by id, with the amendments recorded against it. */
export interface AmendmentState {
  facts: ReadonlyMap<string, StreamFact>;
}

export const initialAmendmentState: AmendmentState = { facts: new Map() };

export const isAmendmentType = (type: string): type is AmendmentEvent['type'] =>
  type === 'FactCorrected' || type === 'FactRetracted';

/** Folds one recorded event of the target stream: remembers it, and applies it if it amends an earlier one. */
export const evolveAmendments = (state: AmendmentState, event: AmendableEvent): AmendmentState => {
  const data = (event.data ?? {}) as Record<string, unknown>;
  // Copying keeps evolve pure; a stream holds one aggregate's history, so the cost stays small.
  const facts = new Map(state.facts);
  const target = isAmendmentType(event.type) ? facts.get(String(data.eventId)) : undefined;
  if (target && event.type === 'FactCorrected') {
    const changes = data.changes as Record<string, unknown>;
    facts.set(String(data.eventId), Object.assign({}, target, { corrections: [...target.corrections, { changes }] }));
  } else if (target && event.type === 'FactRetracted') {
    facts.set(String(data.eventId), Object.assign({}, target, { retracted: true }));
  }
  facts.set(event.eventId, { type: event.type, data, corrections: [], retracted: false });
  return { facts };
};

/**
 * A stream's history as it now stands: amendments applied and then dropped, retracted facts left out,
 * order kept. Fold it with an aggregate's `evolve` so a decision sees corrected facts.
 *
 * @example
 * const plant = amendedHistory(recorded).reduce(evolvePlant, initialPlantState);
 */
export const amendedHistory = <E extends AmendableEvent>(recorded: readonly E[]): E[] => {
  const { facts } = recorded.reduce(evolveAmendments, initialAmendmentState);
  return recorded.flatMap((event) => {
    const fact = facts.get(event.eventId);
    if (isAmendmentType(event.type) || !fact || fact.retracted) return [];
    return [Object.assign({}, event, { data: applyCorrections(fact.data, fact.corrections) })];
  });
};
