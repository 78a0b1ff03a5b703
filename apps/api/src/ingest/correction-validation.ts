import { DomainCommand, applyCorrections } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import { validationProblem } from '../http/problem';
import { validateRequest } from '../http/request-validation';
import { DTO_FOR_EVENT_TYPE } from './request-kinds';

/**
 * A correction must leave the fact as valid as a new request would have to be: the changes are merged into
 * the fact as already corrected and the result goes through the same DTO rules as the original write.
 * Domain rules (which fields may change at all) stay with the decider.
 */
export const validateCorrection = async (command: DomainCommand, history: readonly StoredEvent[]): Promise<void> => {
  if (command.kind !== 'correction') return;
  const target = history.find((event) => event.eventId === command.eventId);
  const rules = target ? DTO_FOR_EVENT_TYPE[target.type] : undefined;
  if (!target || !rules) return;
  const earlier = history
    .filter((event) => event.type === 'FactCorrected' && (event.data as { eventId?: string }).eventId === command.eventId)
    .map((event) => ({ changes: (event.data as { changes: Record<string, unknown> }).changes }));
  const merged = applyCorrections(target.data as Record<string, unknown>, [...earlier, { changes: command.changes }]);
  const result = await validateRequest(rules.dto, merged);
  if (!result.ok) throw validationProblem(result.errors.map(({ field, message }) => ({ field: `changes.${field}`, message })));
};
