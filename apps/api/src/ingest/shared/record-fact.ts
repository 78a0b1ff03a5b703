import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { WriteContext } from '../../http/write-context';
import { RecordFactCommand, WriteResult } from '../record-fact.command';
import { BatchKind, RequestBody, toCommand } from '../request-kinds';

/**
 * What every single-fact endpoint does once its body and path ids are valid: dispatch the fact, flag an
 * idempotent replay in a header, answer the write result.
 */
export const recordFact = async (
  commandBus: CommandBus,
  request: { kind: BatchKind; body: RequestBody; pathIds?: Readonly<Record<string, string>> },
  context: WriteContext,
  reply: FastifyReply,
): Promise<WriteResult> => {
  const { command, source } = toCommand(request.kind, request.body, request.pathIds);
  const { replayed, eventId, streamId, revision, position, recordedAt } = await commandBus.execute(
    new RecordFactCommand(command, source, context),
  );
  if (replayed) void reply.header('Idempotent-Replayed', 'true');
  return { eventId, streamId, revision, position, recordedAt };
};
