import { Body, Controller, Headers, HttpCode, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { canonicalJson } from '@bsc/audit';
import { DomainCommand, Source } from '@bsc/domain';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { Access, ROLES_FOR } from '../auth/access.decorator';
import { AuthenticatedRequest } from '../auth/api-key.guard';
import { ProblemException, validationProblem } from '../http/problem';
import { problemBody, toProblem } from '../http/problem-details.filter';
import { Written, WriteContext } from '../http/write-context';
import { NDJSON_CONTENT_TYPE } from '../app.factory';
import { BatchResponse, BatchItemResult } from './batch.response.dto';
import { IdempotencyStore, requestHashOf } from './idempotency.store';
import { RecordFactsCommand, RecordedFact } from './record-fact.command';
import { FactToRecord } from './fact-recorder';
import { REQUEST_KINDS } from './request-kinds';
import { BatchItemValidator, CheckedBatchItem } from './batch-item-validator';
import { MAX_NESTING, pathDeeperThan } from '../http/request-validation';
import { parseJsonText } from '../http/json-text';

export const MAX_BATCH_ITEMS = 10_000;

const writeResultOf = ({ eventId, streamId, revision, position, recordedAt }: RecordedFact) => ({ eventId, streamId, revision, position, recordedAt });

const tooLarge = (count: number) =>
  new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large', 'Payload too large', `A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${count}.`);

/** An NDJSON line that is not JSON, kept in its place so it gets its own 400; no parsed item can be one. */
class UnparsableLine {
  constructor(readonly reason: string) {}
}

const isUnparsable = (item: unknown): item is UnparsableLine => item instanceof UnparsableLine;

const malformedLine = (line: UnparsableLine) => new ProblemException(HttpStatus.BAD_REQUEST, 'malformed-json', 'Malformed JSON', line.reason);

/** NDJSON: one item per non-blank line; a line that is not JSON (or poisons a prototype) is reported as that item's 400. */
const parseNdjson = (text: string): unknown[] =>
  text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return parseJsonText(line);
      } catch (error) {
        return new UnparsableLine(`line ${index + 1}: ${(error as Error).message}`);
      }
    });

const itemsOf = (body: unknown, contentType: string | undefined): unknown[] => {
  if ((contentType ?? '').startsWith(NDJSON_CONTENT_TYPE)) return parseNdjson(String(body ?? ''));
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationProblem([{ field: '(body)', message: 'must be an object with items' }]);
  const { items, ...rest } = body as { items?: unknown };
  const unknown = Object.keys(rest).map((field) => ({ field, message: 'is not a known field' }));
  if (!Array.isArray(items)) throw validationProblem([{ field: 'items', message: 'must be an array of batch items' }, ...unknown]);
  if (unknown.length > 0) throw validationProblem(unknown);
  return items;
};

@ApiTags('write')
@ApiBearerAuth()
@Controller('v1/batch')
export class BatchController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly validator: BatchItemValidator,
  ) {}

  @Post()
  @Access('write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record up to 10 000 facts in order, one result per item',
    description:
      'JSON `{ items: [...] }` or NDJSON (`application/x-ndjson`, one item per line). Each item is `{ kind, ...body }` with path ids ' +
      '(plantId, standardId, measureId) as fields. Items are applied in order: each item sees the effect of every earlier one. Items that touch different aggregates are written together (one shared commit), so their relative log positions may differ from their order. A failing item does not stop the rest and gets the status and problem it would get alone.',
  })
  @ApiConsumes('application/json', NDJSON_CONTENT_TYPE)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the whole batch response for the same key and body.' })
  @ApiExtraModels(BatchResponse, BatchItemResult)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', maxItems: MAX_BATCH_ITEMS, items: { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: Object.keys(REQUEST_KINDS) } } } } },
      example: {
        items: [
          { kind: 'company', companyId: 'luochu-technology', name: 'Luochu Technology', headquartersCountry: 'CN', source: { publisher: 'Solid-state battery weekly', publishedOn: '2026-01-02' } },
          { kind: 'construction-start', plantId: 'luochu-semi-solid-line', startedOn: '2025-12-29', source: { publisher: 'Solid-state battery weekly', publishedOn: '2026-01-02' } },
        ],
      },
    },
  })
  @ApiOkResponse({ type: BatchResponse })
  async record(@Body() body: unknown, @Headers('content-type') contentType: string | undefined, @Written() context: WriteContext, @Req() request: AuthenticatedRequest): Promise<BatchResponse> {
    const items = itemsOf(body, contentType);
    if (items.length > MAX_BATCH_ITEMS) throw tooLarge(items.length);
    // Hashing for idempotency walks every item recursively: refuse hostile nesting before that.
    const deepest = pathDeeperThan(items, MAX_NESTING + 1);
    if (deepest !== undefined) throw validationProblem([{ field: `items${deepest}`, message: `nests deeper than ${MAX_NESTING} levels` }]);
    if (!context.idempotencyKey) return this.recordItems(items, context, request);

    const idempotency = new IdempotencyStore(this.store);
    const recordStream = IdempotencyStore.streamFor(context.principal.name, `batch:${context.idempotencyKey}`);
    const requestHash = requestHashOf(canonicalJson(items));
    const previous = await idempotency.find(recordStream);
    if (previous) {
      if (previous.requestHash !== requestHash) throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'idempotency-key-reused', 'Idempotency key reused', 'This Idempotency-Key was already used with a different batch.');
      return previous.response as BatchResponse;
    }
    const response = await this.recordItems(items, Object.assign({}, context, { idempotencyKey: undefined }), request);
    await idempotency.save(recordStream, IdempotencyStore.seal(recordStream, context, { requestHash, response, recordedAt: new Date().toISOString() }));
    return response;
  }

  private async recordItems(items: unknown[], context: WriteContext, request: AuthenticatedRequest): Promise<BatchResponse> {
    const results: BatchItemResult[] = new Array(items.length);
    const ours: { index: number; error: unknown }[] = [];
    const failure = (index: number, error: unknown): BatchItemResult => {
      const mapped = toProblem(error);
      if (mapped.status >= 500) ours.push({ index, error });
      return { index, status: mapped.status, error: problemBody(mapped, `${request.url}#${index}`) };
    };
    const parsed = items.flatMap((item, index) => (isUnparsable(item) ? [] : [index]));
    const checked = await this.validator.validate(parsed.map((index) => items[index]));
    const valid: { index: number; fact: FactToRecord }[] = [];
    items.forEach((item, index) => {
      if (isUnparsable(item)) results[index] = failure(index, malformedLine(item));
    });
    parsed.forEach((index, i) => {
      const outcome = this.prepare(checked[i], context);
      if ('failure' in outcome) results[index] = failure(index, outcome.failure);
      else valid.push({ index, fact: { command: outcome.command, source: outcome.source, context: Object.assign({}, context, { causationId: `${context.correlationId}#${index}` }) } });
    });
    const outcomes = await this.commandBus.execute(new RecordFactsCommand(valid.map(({ fact }) => fact)));
    valid.forEach(({ index }, i) => {
      const outcome = outcomes[i];
      results[index] = outcome.ok ? { index, status: 201, ...writeResultOf(outcome.fact) } : failure(index, outcome.error);
    });
    if (ours.length > 0) {
      // One line for the batch, as the exception filter writes for a whole request: a store outage fails every item.
      request.log.error(
        { context: 'HTTP', err: ours[0].error, url: request.url, method: request.method, failedItems: ours.length, firstItems: ours.slice(0, 10).map(({ index }) => index) },
        'batch items failed on our side',
      );
    }
    const succeeded = results.filter((result) => result.status === 201).length;
    return { succeeded, failed: results.length - succeeded, results };
  }

  /** A validated item as a fact to record, or the problem it gets: invalid, or of a kind the caller's role may not record. */
  private prepare(validated: CheckedBatchItem, context: WriteContext): { command: DomainCommand; source: Source } | { failure: unknown } {
    if (!validated.ok) return { failure: 'crashed' in validated ? validated.crashed : validationProblem(validated.errors) };
    const access = REQUEST_KINDS[validated.kind].access;
    if (!ROLES_FOR[access].includes(context.principal.role)) {
      return { failure: new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', `The ${context.principal.role} role may not record ${validated.kind} items.`) };
    }
    return { command: validated.command, source: validated.source };
  }
}
