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
import { ActualRevision, AppendResult, EventStore, NO_STREAM, NewEvent, StoredEvent, StreamNotFound, WrongExpectedRevision, newEventId } from '@bsc/event-store';
import { footprintOf, planWaves } from './batch-waves';
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

/**
 * `readStreams` rather than iterating `readStream`: a stream not yet written (every registration) is an
 * empty list there, not a StreamNotFound built, thrown and caught on every write.
 */
const readWholeStream = async (store: EventStore, streamId: string): Promise<StoredEvent[]> => (await store.readStreams([streamId])).get(streamId) ?? [];

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

/** One fact for `recordMany`: what `record` takes. */
export interface FactToRecord {
  command: DomainCommand;
  source: Source;
  context: WriteContext;
}

/** What `record` would have answered or thrown for one fact of `recordMany`. */
export type FactOutcome = { ok: true; fact: RecordedFact } | { ok: false; error: unknown };

/** Whether a stream starts with an event of the type (a registration); see `knownReferences`. */
type RegistrationCheck = (streamId: string, type: string) => Promise<boolean>;

/** One attempt's decision: the answer an earlier attempt already gave, or sealed events to append at a revision. */
type Decision = { replayed: RecordedFact } | { events: NewEvent[]; expectedRevision: ActualRevision; recordedAt: string };

/** Items written together in one `appendMany`; bounds how long a wave keeps the event loop busy. */
export const MAX_WAVE_SIZE = 250;

/** Builds {@link KnownReferences} for a command's reference ids from registrations in the store. */
const knownReferences = async (ids: { companies: string[]; routes: string[] }, isRegistered: RegistrationCheck): Promise<KnownReferences> => {
  const companies = new Set<string>();
  const routes = new Set<string>();
  for (const companyId of new Set(ids.companies)) {
    if (await isRegistered(streamIds.company(companyId), 'CompanyRegistered')) companies.add(companyId);
  }
  for (const routeId of new Set(ids.routes)) {
    if (isBuiltInRoute(routeId) || (await isRegistered(streamIds.route(routeId), 'TechnologyRouteRegistered'))) routes.add(routeId);
  }
  return { companies, routes };
};

/** A wave reads each referenced stream once, however many of its facts name it. */
const memoised = (check: RegistrationCheck): RegistrationCheck => {
  const answers = new Map<string, Promise<boolean>>();
  return (streamId, type) => {
    const key = `${type}\n${streamId}`;
    let answer = answers.get(key);
    if (!answer) answers.set(key, (answer = check(streamId, type)));
    return answer;
  };
};

const outcomeOf = async (work: () => Promise<RecordedFact>): Promise<FactOutcome> => {
  try {
    return { ok: true, fact: await work() };
  } catch (error) {
    return { ok: false, error };
  }
};

const written = (streamId: string, decision: { events: readonly NewEvent[]; recordedAt: string }, appended: AppendResult): RecordedFact => ({
  eventId: decision.events[decision.events.length - 1].eventId,
  streamId,
  revision: appended.revision,
  position: appended.position,
  recordedAt: decision.recordedAt,
  replayed: false,
});

/**
 * The write path shared by every endpoint, batch item and import: load the aggregate's stream, fold it,
 * decide (pure), seal the hash chain and append with the expected revision. A concurrent writer's
 * conflict is retried with fresh state a bounded number of times; with `If-Match` it is the client's to
 * resolve (412). `recordMany` takes the same steps for many facts at once, reading, deciding and
 * appending a whole wave of independent facts together.
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
      return Object.assign({}, previous.response as WriteResult, { replayed: true });
    }
    const { replayed, ...result } = await this.decideAndAppend(command, source, context, requestHash);
    const saved = await this.idempotency.save(recordStream, IdempotencyStore.seal(recordStream, context, { requestHash, response: result, recordedAt: result.recordedAt }));
    if (saved.requestHash !== requestHash) throw idempotencyConflict();
    const first = saved.response as WriteResult;
    return Object.assign({}, first, { replayed: replayed || first.eventId !== result.eventId });
  }

  /**
   * Records facts in order with the outcome each would have had recorded alone, one after another: each
   * sees the effect of every earlier one, and a failing fact does not stop the rest. Facts are grouped in
   * waves of facts that touch disjoint streams (`planWaves`); a wave reads each stream once, decides every
   * fact, and appends them all in one `appendMany`.
   */
  async recordMany(facts: readonly FactToRecord[]): Promise<FactOutcome[]> {
    const outcomes: FactOutcome[] = new Array(facts.length);
    for (const wave of planWaves(facts.map(({ command }) => footprintOf(command)), MAX_WAVE_SIZE)) {
      const waveOutcomes = await this.recordWave(wave.map((index) => facts[index]));
      wave.forEach((index, i) => (outcomes[index] = waveOutcomes[i]));
    }
    return outcomes;
  }

  private async decideAndAppend(command: DomainCommand, source: Source, context: WriteContext, requestHash?: string): Promise<RecordedFact> {
    const streamId = await this.streamOf(command);
    return this.exclusively([streamId], () => this.decideAndAppendTo(streamId, command, source, context, requestHash));
  }

  /**
   * Writers of one stream in this process take turns, so a burst on one plant never exhausts the retry
   * budget; the optimistic check and bounded retries still guard against other processes. A wave queues
   * on all its streams at once: it waits for every earlier writer of any of them, and later writers wait
   * for it (no cycle can form, since each writer only waits for those queued before it).
   */
  private async exclusively<T>(streamIds: readonly string[], work: () => Promise<T>): Promise<T> {
    const previous = Promise.all(streamIds.map((streamId) => this.streamQueues.get(streamId)));
    const mine = previous.then(work, work);
    const tail = mine.catch(() => undefined);
    for (const streamId of streamIds) this.streamQueues.set(streamId, tail);
    try {
      return await mine;
    } finally {
      for (const streamId of streamIds) if (this.streamQueues.get(streamId) === tail) this.streamQueues.delete(streamId);
    }
  }

  private async decideAndAppendTo(streamId: string, command: DomainCommand, source: Source, context: WriteContext, requestHash?: string, firstAttempt = 1): Promise<RecordedFact> {
    for (let attempt = firstAttempt; ; attempt += 1) {
      const history = await readWholeStream(this.store, streamId);
      const decision = await this.decide(streamId, command, source, context, history, this.registrationCheck(), requestHash);
      if ('replayed' in decision) return decision.replayed;
      try {
        return written(streamId, decision, await this.store.append(streamId, decision.events, { expectedRevision: decision.expectedRevision }));
      } catch (error) {
        this.assertRetryable(error, streamId, context, attempt);
      }
    }
  }

  /** Facts on disjoint streams, none reading a stream another writes (as `planWaves` groups them). */
  private async recordWave(facts: readonly FactToRecord[]): Promise<FactOutcome[]> {
    const outcomes: FactOutcome[] = new Array(facts.length);
    const together: { index: number; streamId: string }[] = [];
    const alone: Promise<void>[] = [];
    for (const [index, { command, source, context }] of facts.entries()) {
      const entry = commandEntry(command);
      // Amendments find their stream through the log, and a fact with its own Idempotency-Key saves a
      // record afterwards: both keep the one-fact path.
      if (entry.target === 'aggregate' && context.idempotencyKey === undefined) together.push({ index, streamId: entry.streamId(command) });
      else alone.push(outcomeOf(() => this.record(command, source, context)).then((outcome) => void (outcomes[index] = outcome)));
    }
    const streams = together.map(({ streamId }) => streamId);
    const waveOutcomes = together.length > 0 ? await this.exclusively(streams, () => this.decideAndAppendWave(together.map(({ index, streamId }) => Object.assign({}, facts[index], { streamId })))) : [];
    together.forEach(({ index }, i) => (outcomes[index] = waveOutcomes[i]));
    await Promise.all(alone);
    return outcomes;
  }

  /** `decideAndAppendTo` for a wave: its streams read in one call, references looked up once, one append for all. */
  private async decideAndAppendWave(items: readonly (FactToRecord & { streamId: string })[]): Promise<FactOutcome[]> {
    // A failed read fails every item of the wave, as each item's own read would have.
    const histories = await this.store.readStreams(items.map(({ streamId }) => streamId)).catch((error: unknown) => ({ failed: error }));
    const isRegistered = memoised(this.registrationCheck());
    const decisions = await Promise.all(
      items.map(async ({ streamId, command, source, context }): Promise<{ decision: Decision } | { error: unknown }> => {
        try {
          if (!(histories instanceof Map)) throw histories.failed;
          return { decision: await this.decide(streamId, command, source, context, histories.get(streamId) ?? [], isRegistered, undefined) };
        } catch (error) {
          return { error };
        }
      }),
    );
    const appends = items.flatMap(({ streamId }, i) => {
      const decided = decisions[i];
      return 'decision' in decided && 'events' in decided.decision ? [{ i, streamId, ...decided.decision }] : [];
    });
    const appended = await this.store.appendMany(appends).catch((error: unknown) => appends.map(() => ({ ok: false as const, error })));
    const outcomes: FactOutcome[] = decisions.map((decided) =>
      'error' in decided ? { ok: false, error: decided.error } : { ok: true, fact: (decided.decision as { replayed: RecordedFact }).replayed },
    );
    await Promise.all(
      appends.map(async (append, k) => {
        const result = appended[k];
        const { streamId, command, source, context } = items[append.i];
        if (result.ok) outcomes[append.i] = { ok: true, fact: written(streamId, append, result) };
        else outcomes[append.i] = await outcomeOf(async () => {
          this.assertRetryable(result.error, streamId, context, 1);
          return this.decideAndAppendTo(streamId, command, source, context, undefined, 2);
        });
      }),
    );
    return outcomes;
  }

  /** A lost race is retried with fresh state while attempts remain; with If-Match it is the client's (412). */
  private assertRetryable(error: unknown, streamId: string, context: WriteContext, attempt: number): void {
    if (!(error instanceof WrongExpectedRevision)) throw error;
    if (context.expectedRevision !== undefined) throw preconditionFailed(streamId, context.expectedRevision, error.actual);
    if (attempt >= MAX_ATTEMPTS) throw error;
  }

  /**
   * The steps between reading a stream and appending to it, shared by single writes and waves: the
   * If-Match check, an earlier attempt of the same idempotent request, correction rules, references,
   * the pure decision, the record time and the hash chain.
   */
  private async decide(
    streamId: string,
    command: DomainCommand,
    source: Source,
    context: WriteContext,
    history: readonly StoredEvent[],
    isRegistered: RegistrationCheck,
    requestHash: string | undefined,
  ): Promise<Decision> {
    const head = history.at(-1);
    const currentRevision = head ? head.revision : NO_STREAM;
    if (context.expectedRevision !== undefined && context.expectedRevision !== currentRevision) {
      throw preconditionFailed(streamId, context.expectedRevision, currentRevision);
    }
    const earlier = requestHash ? this.findEarlierAttempt(history, context) : undefined;
    if (earlier) {
      if (earlier.metadata.requestHash !== requestHash) throw idempotencyConflict();
      return { replayed: Object.assign(resultOf(earlier, String(earlier.metadata.recordedAt)), { replayed: true }) };
    }

    await validateCorrection(command, history);
    const known = await knownReferences(commandEntry(command).references(command), isRegistered);
    const decided = decideOnHistory(command, history, known);
    const recordedAt = this.recordTimeAfter(head);
    return { events: this.seal(streamId, decided, head, source, context, recordedAt, requestHash), expectedRevision: currentRevision, recordedAt };
  }

  private registrationCheck(): RegistrationCheck {
    return (streamId, type) => streamHasEvent(this.store, streamId, type);
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
      const eventId = newEventId();
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
      return { eventId, type: event.type, data: event.data, metadata: requestHash ? Object.assign(metadata, { requestHash }) : metadata };
    });
  }
}
