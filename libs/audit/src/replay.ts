import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { StoredEvent } from '@bsc/event-store';
import {
  ROUTE_ENTRY_KINDS,
  ReadModelState,
  RouteEntryKind,
  Steps,
  TimelineInterval,
  apply,
  companyCapacityOf,
  companyCapacitySteps,
  companyCapacityTimeline,
  createState,
  defaultTimelineFrom,
  effectiveTariff,
  finishInSlices,
  finishNow,
  financingRoundsSteps,
  indexRoutesInBackground,
  overseasExpansionSteps,
  recordTimeOf,
  standardOf,
  standardsSteps,
  technologyRouteTimeline,
  technologyRoutes,
} from '@bsc/projections';

/** Every read model a replay can rebuild, named as the CLI and `/v1/audit/replays` name them. */
export const READ_MODEL_NAMES = [
  'company-capacity',
  'company',
  'company-capacity-timeline',
  'overseas-expansion',
  'technology-routes',
  'technology-route-timeline',
  'effective-tariff',
  'standards',
  'standard',
  'financing-rounds',
] as const;

export type ReadModelName = (typeof READ_MODEL_NAMES)[number];

/** The query a replay answers: the read model, its filters or ids (as the read endpoints take them), and both clocks. */
export interface ReplayRequest {
  readModel: ReadModelName;
  params: Record<string, unknown>;
  /** Valid time, `YYYY-MM-DD`. */
  asOf: string;
  /** Transaction time, an RFC 3339 instant: only events recorded at or before it are replayed. */
  knownAt: string;
}

export interface ReplayResult {
  /** The read model's answer; null where the read endpoint would answer 404 (an id not known at knownAt). */
  result: unknown;
  /** The highest log position read. */
  position: number;
  /** Events recorded at or before knownAt, applied to the fresh state. */
  eventsReplayed: number;
  tookMs: number;
}

export interface ReplayOptions {
  /** Events applied between two yields to the event loop (default 1000). */
  chunkSize?: number;
  /** How long computing the answer from the replayed state holds the event loop at a time (default 10 ms). */
  sliceMs?: number;
  /** Stops the replay (and its read of the log) at the next chunk once aborted: `ReplayCancelled`. */
  signal?: AbortSignal;
}

/** A replay request the query cannot take: unknown read model, a missing id, a value of the wrong kind. */
export class ReplayRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ReplayRequestError';
  }
}

/** A replay given up by its caller (its `signal` aborted) before it finished; nothing of it is kept. */
export class ReplayCancelled extends Error {
  constructor() {
    super('the replay was cancelled');
    this.name = 'ReplayCancelled';
  }
}

/** Refused at once: as many replays as the queue takes are already waiting their turn. */
export class ReplayQueueFull extends Error {
  constructor(readonly maxWaiting: number) {
    super(`${maxWaiting} replays are already waiting; retry once they have run`);
    this.name = 'ReplayQueueFull';
  }
}

const DEFAULT_CHUNK_SIZE = 1000;
/** Replays that may wait behind the running one: a handful of auditors' questions, not an unbounded backlog. */
export const DEFAULT_MAX_WAITING_REPLAYS = 8;
const DEFAULT_SLICE_MS = 10;
/** The read models answered from the route index, which a fresh state builds on first use. */
const ROUTE_READ_MODELS: readonly ReadModelName[] = ['technology-routes', 'technology-route-timeline'];
const TIMELINE_INTERVALS: readonly TimelineInterval[] = ['month', 'quarter', 'year'];

/**
 * Rebuilds a fresh read-model state from raw events — nothing from the live projection or its checkpoint —
 * then answers the named query. Record times are monotonic per stream, not across the log, so every event
 * is read and those recorded after knownAt are skipped rather than the read stopping at the first of them.
 * Applying events is CPU-bound: it yields to the event loop every `chunkSize` events, and the route index
 * and a list's answer are made in slices of `sliceMs`, so live traffic keeps flowing while a long log replays.
 *
 * @example
 *   const { result, eventsReplayed } = await replayReadModel(store.readAll(), {
 *     readModel: 'company', params: { companyId: 'catl' }, asOf: '2024-12-31', knownAt: '2025-03-01T00:00:00Z',
 *   });
 */
export const replayReadModel = async (events: AsyncIterable<StoredEvent>, request: ReplayRequest, options: ReplayOptions = {}): Promise<ReplayResult> =>
  replayChecked(() => events, request, checkReplayRequest(request), options);

/**
 * `replayReadModel` of a request already checked (`checkReplayRequest` gave `knownAtMs`); `events` is called,
 * and the log read, only if the replay was not cancelled before it began.
 */
const replayChecked = async (events: () => AsyncIterable<StoredEvent>, request: ReplayRequest, knownAtMs: number, options: ReplayOptions): Promise<ReplayResult> => {
  const started = performance.now();
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);

  const { signal } = options;
  const stopIfCancelled = (): void => {
    if (signal?.aborted) throw new ReplayCancelled();
  };
  stopIfCancelled();

  const state = createState();
  let position = 0;
  let eventsReplayed = 0;
  let sinceYield = 0;
  for await (const event of events()) {
    position = Math.max(position, event.position);
    if (!(Date.parse(recordTimeOf(event)) > knownAtMs)) {
      apply(state, event);
      eventsReplayed++;
    }
    if (++sinceYield >= chunkSize) {
      sinceYield = 0;
      await yieldToEventLoop();
      stopIfCancelled();
    }
  }
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  // Built at once on first use, the index would hold the event loop for seconds at a million events.
  if (ROUTE_READ_MODELS.includes(request.readModel)) await indexRoutesInBackground(state, sliceMs).done;
  stopIfCancelled();
  const result = (await finishInSlices(readModelQuerySteps(state, request), sliceMs)) ?? null;
  return { result, position, eventsReplayed, tookMs: Math.round((performance.now() - started) * 1000) / 1000 };
};

/**
 * Runs replays one after another, in the order asked: each builds a second copy of the read models
 * (about a gigabyte of heap at a million events), so a few at once could exhaust the heap and stop the
 * process for everyone. A bad request is refused at once, without waiting its turn; so is one beyond
 * `maxWaiting` replays waiting (`ReplayQueueFull`). A replay whose `signal` aborts leaves its place in
 * the line at once, and stops at its next chunk if already running.
 */
export class ReplayQueue {
  private last: Promise<unknown> = Promise.resolve();
  /** Replays asked and not finished: the running one and those waiting behind it. */
  private pending = 0;

  constructor(private readonly maxWaiting = DEFAULT_MAX_WAITING_REPLAYS) {}

  /** Replays once every replay asked before has finished; `events` is called, and the log read, only then. */
  async replay(events: () => AsyncIterable<StoredEvent>, request: ReplayRequest, options: ReplayOptions = {}): Promise<ReplayResult> {
    // Everything up to the line's promise runs at once, as the call is made: the checks, the place in the line.
    const knownAtMs = checkReplayRequest(request);
    if (this.pending > this.maxWaiting) throw new ReplayQueueFull(this.maxWaiting);
    const { signal } = options;
    this.pending++;
    let counted = true;
    const release = (): void => {
      if (!counted) return;
      counted = false;
      this.pending--;
    };
    // Only while waiting: a running replay holds its memory until it stops at its next chunk.
    signal?.addEventListener('abort', release);
    const turn = this.last
      .then(() => {
        signal?.removeEventListener('abort', release);
        return replayChecked(events, request, knownAtMs, options);
      })
      .finally(release);
    this.last = turn.catch(() => undefined);
    return turn;
  }
}

/** Throws `ReplayRequestError` for a request the query cannot take; else the knownAt instant in ms. */
const checkReplayRequest = (request: ReplayRequest): number => {
  const knownAtMs = Date.parse(request.knownAt);
  if (Number.isNaN(knownAtMs)) throw new ReplayRequestError('knownAt', 'must be an RFC 3339 instant');
  runReadModelQuery(createState(), request);
  return knownAtMs;
};

/**
 * Answers a replay request against any state with the read endpoints' defaults, so a replayed answer and the
 * live projection's answer are computed by the same code. Undefined where the endpoint would answer 404.
 * Throws `ReplayRequestError` for an unknown read model or a missing or malformed parameter.
 */
export const runReadModelQuery = (state: Readonly<ReadModelState>, request: ReplayRequest): unknown => finishNow(readModelQuerySteps(state, request));

/**
 * `runReadModelQuery` as steps: the lists over every company, round or standard a company (or the like) per
 * step, as their read endpoints compute them; other answers in one step. Parameters are checked at once.
 */
export const readModelQuerySteps = (state: Readonly<ReadModelState>, request: ReplayRequest): Steps<unknown> => {
  const time = { asOf: request.asOf, knownAt: request.knownAt };
  const params = request.params ?? {};
  const text = (name: string): string | undefined => {
    const value = params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new ReplayRequestError(`params.${name}`, 'must be a string');
    return value;
  };
  const required = (name: string): string => {
    const value = text(name);
    if (value === undefined) throw new ReplayRequestError(`params.${name}`, `is required for read model ${request.readModel}`);
    return value;
  };

  switch (request.readModel) {
    case 'company-capacity':
      return companyCapacitySteps(state, time, { technologyRoute: text('technologyRoute'), country: text('country'), headquartersCountry: text('headquartersCountry') });
    case 'company':
      return answered(companyCapacityOf(state, required('companyId'), time));
    case 'company-capacity-timeline': {
      const to = text('to') ?? request.asOf;
      const from = text('from') ?? defaultTimelineFrom(to);
      const interval = (text('interval') ?? 'quarter') as TimelineInterval;
      if (!TIMELINE_INTERVALS.includes(interval)) throw new ReplayRequestError('params.interval', `must be one of: ${TIMELINE_INTERVALS.join(', ')}`);
      if (from > to) throw new ReplayRequestError('params.from', `must not be after to (${to})`);
      try {
        return answered(companyCapacityTimeline(state, required('companyId'), { from, to, interval, knownAt: request.knownAt }));
      } catch (error) {
        if (error instanceof RangeError) throw new ReplayRequestError('params.from', error.message);
        throw error;
      }
    }
    case 'overseas-expansion':
      return overseasExpansionSteps(state, time, { headquartersCountry: text('headquartersCountry'), technologyRoute: text('technologyRoute') });
    case 'technology-routes':
      return answered(technologyRoutes(state, time, { family: text('family') }));
    case 'technology-route-timeline': {
      const kind = text('kind');
      if (kind !== undefined && !(ROUTE_ENTRY_KINDS as readonly string[]).includes(kind)) {
        throw new ReplayRequestError('params.kind', `must be one of: ${ROUTE_ENTRY_KINDS.join(', ')}`);
      }
      return answered(
        technologyRouteTimeline(state, required('routeId'), time, {
          from: text('from'),
          to: text('to'),
          kind: kind as RouteEntryKind | undefined,
        }),
      );
    }
    case 'effective-tariff':
      return answered(effectiveTariff(state, time, { importer: required('importer'), origin: required('origin'), product: required('product') }));
    case 'standards':
      return standardsSteps(state, time, { jurisdiction: text('jurisdiction'), technologyRoute: text('technologyRoute'), stage: text('stage') });
    case 'standard':
      return answered(standardOf(state, required('standardId'), time));
    case 'financing-rounds':
      return financingRoundsSteps(state, time, { companyId: text('companyId'), technologyRoute: text('technologyRoute'), from: text('from'), to: text('to') });
    default:
      throw new ReplayRequestError('readModel', `must be one of: ${READ_MODEL_NAMES.join(', ')}`);
  }
};

/** An answer computed at once, as steps: one company, route, tariff or standard, which the read endpoints also answer at once. */
const answered = <T>(answer: T): Steps<T> => ({ next: () => ({ done: true, value: answer }) });
