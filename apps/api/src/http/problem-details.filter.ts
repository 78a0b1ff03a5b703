import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { ReplayCancelled, ReplayQueueFull, ReplayRequestError } from '@bsc/audit';
import { InvalidValue, NotFound, ReferenceNotFound, RuleViolated, DomainError } from '@bsc/domain';
import { DuplicateEventId, PositionNotInLog, StoreCorrupted, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '@bsc/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FieldError, ProblemDetails, ProblemException, problemType } from './problem';

const STORE_RETRY_AFTER_SECONDS = '5';
/** About one replay's turn at a million events. */
const REPLAYS_RETRY_AFTER_SECONDS = '30';

interface Mapped {
  status: number;
  slug: string;
  title: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

const UNSUPPORTED_MEDIA_TYPE: Mapped = {
  status: 415,
  slug: 'unsupported-media-type',
  title: 'Unsupported media type',
  detail: 'Send application/json (or application/x-ndjson where accepted).',
};

/** Fastify's own errors (body parsing, limits) carry a code; these are the ones a client can cause. */
const fastifyError = (error: { code?: string; statusCode?: number; message: string }): Mapped | undefined => {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, slug: 'payload-too-large', title: 'Payload too large', detail: 'The request body exceeds the size limit.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return UNSUPPORTED_MEDIA_TYPE;
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_BAD_URL':
      return { status: 400, slug: 'bad-request', title: 'Bad request', detail: error.message };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, slug: 'uri-too-long', title: 'URI too long', detail: 'A path parameter is longer than any id can be.' };
    default:
      // Any other client error Fastify raises itself. Nothing else is mapped by shape: a SyntaxError or a
      // status-bearing error from our own code is a bug, and answering it as the client's 400 would hide it.
      if (error.code?.startsWith('FST_') && error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: error.statusCode, slug: 'bad-request', title: 'Bad request', detail: error.message };
      }
      return undefined;
  }
};

/** The one place where every error becomes an HTTP answer. */
export const toProblem = (error: unknown): Mapped => {
  if (error instanceof ProblemException) {
    const { errors, headers, ...extensions } = error.extensions;
    return { status: error.status, slug: error.slug, title: error.title, detail: error.message, errors, headers, extensions };
  }
  if (error instanceof InvalidValue) {
    return { status: 400, slug: 'validation-failed', title: 'Validation failed', detail: error.message, errors: [{ field: error.field, message: error.message }] };
  }
  if (error instanceof NotFound) return { status: 404, slug: 'not-found', title: 'Not found', detail: error.message };
  if (error instanceof RuleViolated) return { status: 409, slug: 'rule-violated', title: 'Refused by a domain rule', detail: error.message };
  if (error instanceof ReferenceNotFound) return { status: 422, slug: 'unknown-reference', title: 'Unknown reference', detail: error.message };
  if (error instanceof DomainError) return { status: 409, slug: 'rule-violated', title: 'Refused by a domain rule', detail: error.message };
  if (error instanceof WrongExpectedRevision) {
    return { status: 409, slug: 'concurrent-write', title: 'Concurrent write', detail: `${error.streamId} kept moving while we wrote; retry the request.` };
  }
  if (error instanceof StreamNotFound) return { status: 404, slug: 'not-found', title: 'Not found', detail: error.message };
  if (error instanceof DuplicateEventId) return { status: 409, slug: 'duplicate-event', title: 'Duplicate event', detail: error.message };
  if (error instanceof PositionNotInLog) {
    return {
      status: 400,
      slug: 'position-not-in-log',
      title: 'Position not in the log',
      detail: `No event starts at position ${error.position}. Start at 0, or at a position the log gave: an event's position, a nextPosition or a live-feed id.`,
      extensions: { position: error.position },
    };
  }
  if (error instanceof StoreUnavailable || error instanceof StoreCorrupted) {
    return {
      status: 503,
      slug: 'store-unavailable',
      title: 'Event store unavailable',
      detail: 'The event store cannot be reached; nothing was written. Retry later.',
      headers: { 'Retry-After': STORE_RETRY_AFTER_SECONDS },
    };
  }
  if (error instanceof ReplayRequestError) {
    const message = error.message.slice(error.field.length + 2);
    return { status: 400, slug: 'validation-failed', title: 'Validation failed', detail: 'The request is not valid; see errors.', errors: [{ field: error.field, message }] };
  }
  if (error instanceof ReplayQueueFull) {
    return { status: 503, slug: 'replays-busy', title: 'Replays busy', detail: error.message, headers: { 'Retry-After': REPLAYS_RETRY_AFTER_SECONDS } };
  }
  // Nobody reads this answer: it names the outcome in the access log, as nginx's 499 does.
  if (error instanceof ReplayCancelled) return { status: 499, slug: 'client-closed-request', title: 'Client closed request', detail: error.message };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
    const detail = Array.isArray(message) ? message.join('; ') : String(message);
    // Fastify's "no parser for this type" reaches us wrapped by Nest as well.
    if (status === 415) return UNSUPPORTED_MEDIA_TYPE;
    const phrase = (HttpStatus[status] ?? 'ERROR').toLowerCase().replace(/_/g, ' ');
    return { status, slug: phrase.replace(/ /g, '-'), title: phrase.charAt(0).toUpperCase() + phrase.slice(1), detail };
  }
  if (error && typeof error === 'object' && 'message' in error) {
    const mapped = fastifyError(error as { code?: string; statusCode?: number; message: string });
    if (mapped) return mapped;
  }
  return { status: 500, slug: 'internal-error', title: 'Internal error', detail: 'Something went wrong on our side; it has been logged.' };
};

export const problemBody = (mapped: Mapped, instance?: string): ProblemDetails => ({
  type: problemType(mapped.slug),
  title: mapped.title,
  status: mapped.status,
  detail: mapped.detail,
  ...(instance ? { instance } : {}),
  ...(mapped.errors ? { errors: mapped.errors } : {}),
  ...(mapped.extensions ?? {}),
});

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const mapped = toProblem(error);
    if (mapped.status >= 500) {
      // The request's own logger, so the line carries its correlation id.
      request.log.error({ context: 'HTTP', err: error, url: request.url, method: request.method, status: mapped.status }, 'request failed');
    }
    for (const [name, value] of Object.entries(mapped.headers ?? {})) void reply.header(name, value);
    void reply.status(mapped.status).type('application/problem+json').send(problemBody(mapped, request.url));
  }
}

/**
 * Errors Fastify's router raises before any route (and so before Nest) runs: a malformed percent-encoding
 * or an overlong path parameter. They leave as problem details like everything else.
 */
export const frameworkErrorHandler = (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply): void => {
  const mapped = toProblem(error);
  void reply.status(mapped.status).type('application/problem+json').send(problemBody(mapped, request.url));
};
