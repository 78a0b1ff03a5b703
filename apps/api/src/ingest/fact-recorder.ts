import { randomUUID } from 'node:crypto';
import {
  DomainCommand,
  DomainEvent,
  commandEntry,
  decideOnHistory,
  EVENT_SCHEMA_VERSIONS,
  KnownReferences,
  ReferenceNotFound,
  Source,
  isBuiltInRoute,
  streamIds,
} from '@bsc/domain';
import { GENESIS_HASH, canonicalJson, sealEvent } from '@bsc/audit';
import { EventStore, NO_STREAM, NewEvent, StoredEvent, StreamNotFound, WrongExpectedRevision } from '@bsc/event-store';
import { ProblemException } from '../http/problem';
import { WriteContext } from '../http/write-context';
import { RecordedFact, WriteResult } from './record-fact.command';
import { IdempotencyStore, requestHashOf } from './idempotency.store';
import { validateCorrection } from './correction-validation';

/** Enough for bursts of writers on one plant; beyond it the client is told to retry. */
const MAX_ATTEMPTS = 5;

export type Clock = () => Date;

/** Finds the stream an event id lives in (corrections and retractions name only the event). */
export interface EventLocator {
  locate(eventId: string): Promise<{ streamId: string; type: string } | undefined>;
}

const preconditionFailed = (streamId: string, expected: number, actual: number | 'no-stream') =>
  new ProblemException(
    412,
    'precondition-failed',
    'Precondition failed',
    `${streamId} is at revision ${String(actual)}, not ${expected}; read it again and retry.`,
    { currentRevision: actual === 'no-stream' ? null : actual },
  );

const idempotencyConflict = () =>
  new ProblemException(
    422,
    'idempotency-key-reused',
    'Idempotency key reused',
    'This Idempotency-Key was already used with a different request body.',
  );

const readWholeStream = async (store: EventStore, streamId: string): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  try {
    for await (const event of store.readStream(streamId)) events.push(event);
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return events;
};

const streamHasEvent = async (store: EventStore, streamId: string, type: string): Promise<boolean> => {
  try {
    for await (const event of store.readStream(streamId, { limit: 1 })) return event.type === type;
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return false;
};

const resultOf = (event: StoredEvent, recordedAt: string): WriteResult => ({
  eventId: event.eventId,
  streamId: event.streamId,
  revision: event.revision,
  position: event.position,
  recordedAt,
});

/**
 * The write path shared by every endpoint, batch item and import: load the aggregate's stream, fold it,
 * decide (pure), seal the hash chain and append with the expected revision. A concurrent writer's
 * conflict is retried with fresh state a bounded number of times; with `If-Match` it is the client's to
 * resolve (412).
 */
export class FactRecorder {
  private readonly idempotency: IdempotencyStore;
  /** Tail of the queue of writes per stream in this process; see `exclusively`. */
  private readonly streamQueues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly locator: EventLocator,
    private readonly clock: Clock = () => new Date(),
  ) {
    this.idempotency = new IdempotencyStore(store);
  }

  async record(command: DomainCommand, source: Source, context: WriteContext): Promise<RecordedFact> {
    const key = context.idempotencyKey;
    if (key === undefined) return this.decideAndAppend(command, source, context);

    const requestHash = requestHashOf(canonicalJson({ command, source }));
    const recordStream = IdempotencyStore.streamFor(context.principal.name, key);
    const previous = await this.idempotency.find(recordStream);
    if (previous) {
      if (previous.requestHash !== requestHash) throw idempotencyConflict();
      return { ...(previous.response as WriteResult), replayed: true };
    }
    const { replayed, ...result } = await this.decideAndAppend(command, source, context, requestHash);
    const saved = await this.idempotency.save(recordStream, IdempotencyStore.seal(recordStream, context, { requestHash, response: result, recordedAt: result.recordedAt }));
    if (saved.requestHash !== requestHash) throw idempotencyConflict();
    const first = saved.response as WriteResult;
    return { ...first, replayed: replayed || first.eventId !== result.eventId };
  }

  private async decideAndAppend(command: DomainCommand, source: Source, context: WriteContext, requestHash?: string): Promise<RecordedFact> {
    const streamId = await this.streamOf(command);
    return this.exclusively(streamId, () => this.decideAndAppendTo(streamId, command, source, context, requestHash));
  }

  /**
   * Writers of one stream in this process take turns, so a burst on one plant never exhausts the retry
   * budget; the optimistic check and bounded retries still guard against other processes.
   */
  private async exclusively<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.streamQueues.get(streamId) ?? Promise.resolve();
    const mine = previous.then(work, work);
    const tail = mine.catch(() => undefined);
    this.streamQueues.set(streamId, tail);
    try {
      return await mine;
    } finally {
      if (this.streamQueues.get(streamId) === tail) this.streamQueues.delete(streamId);
    }
  }

  private async decideAndAppendTo(streamId: string, command: DomainCommand, source: Source, context: WriteContext, requestHash?: string): Promise<RecordedFact> {
    for (let attempt = 1; ; attempt += 1) {
      const history = await readWholeStream(this.store, streamId);
      const head = history.at(-1);
      const currentRevision = head ? head.revision : NO_STREAM;
      if (context.expectedRevision !== undefined && context.expectedRevision !== currentRevision) {
        throw preconditionFailed(streamId, context.expectedRevision, currentRevision);
      }
      const earlier = requestHash ? this.findEarlierAttempt(history, context) : undefined;
      if (earlier) {
        if (earlier.metadata.requestHash !== requestHash) throw idempotencyConflict();
        return { ...resultOf(earlier, String(earlier.metadata.recordedAt)), replayed: true };
      }

      await validateCorrection(command, history);
      const known = await this.knownReferences(commandEntry(command).references(command));
      const decided = decideOnHistory(command, history, known);
      const recordedAt = this.recordTimeAfter(head);
      const events = this.seal(streamId, decided, head, source, context, recordedAt, requestHash);
      try {
        const appended = await this.store.append(streamId, events, { expectedRevision: currentRevision });
        const last = events[events.length - 1];
        return { eventId: last.eventId, streamId, revision: appended.revision, position: appended.position, recordedAt, replayed: false };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevision)) throw error;
        if (context.expectedRevision !== undefined) throw preconditionFailed(streamId, context.expectedRevision, error.actual);
        if (attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** A retry after a crash between appending the fact and saving the idempotency record finds the fact here. */
  private findEarlierAttempt(history: readonly StoredEvent[], context: WriteContext): StoredEvent | undefined {
    return history.findLast(
      (event) => event.metadata.idempotencyKey === context.idempotencyKey && event.metadata.recordedBy === context.principal.name,
    );
  }

  private async streamOf(command: DomainCommand): Promise<string> {
    const entry = commandEntry(command);
    if (entry.target === 'aggregate') return entry.streamId(command);
    const eventId = entry.targetEventId(command);
    const located = await this.locator.locate(eventId);
    if (!located) throw new ReferenceNotFound(`event ${eventId} is not in the log`);
    return located.streamId;
  }

  private async knownReferences(ids: { companies: string[]; routes: string[] }): Promise<KnownReferences> {
    const companies = new Set<string>();
    const routes = new Set<string>();
    for (const companyId of new Set(ids.companies)) {
      if (await streamHasEvent(this.store, streamIds.company(companyId), 'CompanyRegistered')) companies.add(companyId);
    }
    for (const routeId of new Set(ids.routes)) {
      if (isBuiltInRoute(routeId) || (await streamHasEvent(this.store, streamIds.route(routeId), 'TechnologyRouteRegistered'))) routes.add(routeId);
    }
    return { companies, routes };
  }

  /** Transaction time never goes backwards within a stream, so per-stream binary search by knownAt holds. */
  private recordTimeAfter(head: StoredEvent | undefined): string {
    const now = this.clock().getTime();
    const previous = head ? Date.parse(String(head.metadata.recordedAt)) : Number.NEGATIVE_INFINITY;
    return new Date(Math.max(now, Number.isNaN(previous) ? now : previous)).toISOString();
  }

  private seal(
    streamId: string,
    decided: readonly DomainEvent[],
    head: StoredEvent | undefined,
    source: Source,
    context: WriteContext,
    recordedAt: string,
    requestHash: string | undefined,
  ): NewEvent[] {
    let prevHash = head ? String(head.metadata.hash ?? GENESIS_HASH) : GENESIS_HASH;
    return decided.map((event) => {
      const eventId = randomUUID();
      const metadata = sealEvent({
        eventId,
        streamId,
        type: event.type,
        data: event.data,
        metadata: {
          schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
          recordedAt,
          recordedBy: context.principal.name,
          source,
          correlationId: context.correlationId,
          causationId: context.causationId,
          ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
          prevHash,
        },
      });
      prevHash = metadata.hash;
      // Not sealed: it only lets a retry after a crash tell its own earlier attempt from another request.
      return { eventId, type: event.type, data: event.data, metadata: requestHash ? { ...metadata, requestHash } : metadata };
    });
  }
}
