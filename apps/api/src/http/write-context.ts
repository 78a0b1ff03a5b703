import { createParamDecorator, ExecutionContext, HttpStatus } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { Principal } from '../auth/api-keys';
import { ProblemException } from './problem';

/** Who writes and under which guarantees; built from the request headers. */
export interface WriteContext {
  principal: Principal;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  /** The stream revision the client saw (`If-Match: "<revision>"`). */
  expectedRevision?: number;
}

const CORRELATION_ID_PATTERN = /^[\w.:-]{1,128}$/;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const IF_MATCH_PATTERN = /^(?:W\/)?"(\d{1,15})"$/;

type ContextRequest = FastifyRequest & { principal?: Principal };

/**
 * The request's correlation id: the client's `X-Correlation-Id` when well-formed, a fresh UUID otherwise.
 * Fastify asks once per request and keeps the answer as `request.id`.
 */
export const correlationIdOf = (request: { headers: IncomingHttpHeaders }): string => {
  const header = request.headers['x-correlation-id'];
  return typeof header === 'string' && CORRELATION_ID_PATTERN.test(header) ? header : randomUUID();
};

const badHeader = (field: string, message: string) =>
  new ProblemException(HttpStatus.BAD_REQUEST, 'validation-failed', 'Validation failed', `${field} ${message}`, { errors: [{ field, message }] });

export const writeContextOf = (request: ContextRequest): WriteContext => {
  if (!request.principal) throw new Error('write context read before authentication');
  const idempotencyKey = request.headers['idempotency-key'];
  if (idempotencyKey !== undefined && (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey))) {
    throw badHeader('Idempotency-Key', 'must be 1-255 visible ASCII characters');
  }
  const ifMatch = request.headers['if-match'];
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined) {
    const match = typeof ifMatch === 'string' ? IF_MATCH_PATTERN.exec(ifMatch.trim()) : null;
    if (!match) throw badHeader('If-Match', 'must be a quoted stream revision, e.g. "3"');
    expectedRevision = Number(match[1]);
  }
  const correlationId = request.id;
  const causation = request.headers['x-causation-id'];
  return {
    principal: request.principal,
    correlationId,
    causationId: typeof causation === 'string' && CORRELATION_ID_PATTERN.test(causation) ? causation : correlationId,
    idempotencyKey: idempotencyKey as string | undefined,
    expectedRevision,
  };
};

/** `@Written() ctx: WriteContext` in a write controller. */
export const Written = createParamDecorator((_data: unknown, context: ExecutionContext): WriteContext =>
  writeContextOf(context.switchToHttp().getRequest<ContextRequest>()),
);
