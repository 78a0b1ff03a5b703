import { DomainEvent, DomainEventMetadata, isDomainEventType } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import {
  EntityTimeline,
  TimelineAmendment,
  TimelineFact,
  appendAmendment,
  appendFact,
  emptyTimeline,
} from './fact-timeline';

/**
 * Version of the state's shape and of the rules that build it. Bump it whenever either changes: a
 * checkpoint written under another version is discarded and the state rebuilt from the log.
 */
export const PROJECTION_VERSION = 1;

/** Where an event lives, for the write side (stream of a corrected fact) and for audit. */
export interface EventLocation {
  streamId: string;
  type: string;
  position: number;
}

/**
 * Record time → position, sorted by record time, with the running maximum of positions, so the
 * `position` echo of an answer at knownAt K (highest position recorded ≤ K) is one binary search even
 * when record times across streams do not follow position order.
 */
interface RecordClock {
  recordedMs: number[];
  positions: number[];
  maxPosition: number[];
}

/**
 * Everything every read model needs, fed event by event in global order by `apply`. Treat it as
 * read-only outside this module.
 */
export interface ReadModelState {
  /** Last applied position, including events of unknown types that were skipped. */
  position: number;
  entities: Map<string, EntityTimeline>;
  locator: Map<string, EventLocation>;
  /** Tag → streams, so a query touches only the entities it concerns (see `tagsOf`). */
  tags: Map<string, Set<string>>;
  clock: RecordClock;
  /**
   * Derived indexes build themselves from the entities on first use (they are never checkpointed); once
   * one exists, `apply` queues every fact and amendment for it to take before its next answer.
   */
  routeIndex?: PendingItems;
}

/** What `apply` hands a derived index: the streams and items applied since it last caught up. */
export interface PendingItems {
  pendingStreams: string[];
  pendingItems: (TimelineFact | TimelineAmendment)[];
}

/** An event the projection cannot take; the runner stops there and reports it. */
export class ProjectionError extends Error {
  constructor(
    readonly position: number,
    readonly eventId: string,
    message: string,
  ) {
    super(`position ${position} (event ${eventId}): ${message}`);
    this.name = 'ProjectionError';
  }
}

export const createState = (): ReadModelState => ({
  position: 0,
  entities: new Map(),
  locator: new Map(),
  tags: new Map(),
  clock: { recordedMs: [], positions: [], maxPosition: [] },
});

/** Streams grouped under a tag; names are built by these helpers only. */
export const tag = {
  companies: 'companies',
  financing: 'financing',
  plants: 'plants',
  standards: 'standards',
  registeredRoutes: 'registered-routes',
  plantsOfCompany: (companyId: string) => `company-plants:${companyId}`,
  route: (routeId: string) => `route:${routeId}`,
  tariffLane: (importer: string, origin: string) => `tariff-lane:${importer}>${origin}`,
} as const;

const tagsOf = (event: DomainEvent): string[] => {
  switch (event.type) {
    case 'CompanyRegistered':
      return [tag.companies];
    case 'FinancingRoundClosed':
      return [tag.financing, ...stringsIn(event.data.technologyRoutes).map(tag.route)];
    case 'CapacityAnnounced':
      return [tag.plants, tag.plantsOfCompany(event.data.companyId), tag.route(event.data.technologyRoute)];
    case 'StandardRegistered':
      return [tag.standards, ...stringsIn(event.data.technologyRoutes).map(tag.route)];
    case 'TariffMeasureImposed':
      return [tag.tariffLane(event.data.importer, event.data.origin)];
    case 'TechnologyRouteRegistered':
      return [tag.registeredRoutes];
    case 'TechnologyMilestoneReached':
      return [tag.route(event.data.technologyRoute)];
    default:
      return [];
  }
};

const stringsIn = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * Applies one stored event, in global order. Events of unknown types only advance `position`. Throws
 * `ProjectionError`, leaving the state untouched, for an event it cannot take (position not after the
 * last one, data that is not an object, no readable record time).
 */
export const apply = (state: ReadModelState, stored: StoredEvent): ReadModelState => {
  if (!(stored.position > state.position)) {
    throw new ProjectionError(stored.position, stored.eventId, `position is not after ${state.position}`);
  }
  if (!isDomainEventType(stored.type)) {
    state.position = stored.position;
    return state;
  }
  if (typeof stored.data !== 'object' || stored.data === null || Array.isArray(stored.data)) {
    throw new ProjectionError(stored.position, stored.eventId, `data of ${stored.type} is not an object`);
  }
  const recordedAt = recordTimeOf(stored);
  const recordedMs = Date.parse(recordedAt);
  if (Number.isNaN(recordedMs)) {
    throw new ProjectionError(stored.position, stored.eventId, `unreadable recordedAt ${JSON.stringify(recordedAt)}`);
  }
  const event = { type: stored.type, data: stored.data } as DomainEvent;
  const timeline = state.entities.get(stored.streamId) ?? emptyTimeline(stored.streamId);
  state.entities.set(stored.streamId, timeline);

  if (event.type === 'FactCorrected' || event.type === 'FactRetracted') {
    const amendment: TimelineAmendment = {
      eventId: stored.eventId,
      kind: event.type === 'FactCorrected' ? 'correction' : 'retraction',
      targetEventId: event.data.eventId,
      changes: event.type === 'FactCorrected' ? { ...event.data.changes } : undefined,
      reason: event.data.reason,
      position: stored.position,
      recordedAt,
      recordedMs,
    };
    appendAmendment(timeline, amendment);
    state.routeIndex?.pendingStreams.push(stored.streamId);
    state.routeIndex?.pendingItems.push(amendment);
    const target = timeline.facts.find((fact) => fact.eventId === amendment.targetEventId);
    if (target && amendment.changes) {
      // A correction may move a fact to another company, route or lane: index it under both.
      addTags(state, stored.streamId, tagsOf({ type: target.type, data: { ...target.data, ...amendment.changes } } as DomainEvent));
    }
  } else {
    const fact: TimelineFact = {
      eventId: stored.eventId,
      type: event.type,
      data: event.data,
      position: stored.position,
      recordedAt,
      recordedMs,
    };
    appendFact(timeline, fact);
    state.routeIndex?.pendingStreams.push(stored.streamId);
    state.routeIndex?.pendingItems.push(fact);
    addTags(state, stored.streamId, tagsOf(event));
    recordClock(state.clock, fact.recordedMs, stored.position);
    state.locator.set(stored.eventId, { streamId: stored.streamId, type: stored.type, position: stored.position });
    state.position = stored.position;
    return state;
  }
  recordClock(state.clock, timeline.amendments.at(-1)!.recordedMs, stored.position);
  state.locator.set(stored.eventId, { streamId: stored.streamId, type: stored.type, position: stored.position });
  state.position = stored.position;
  return state;
};

/** The write path's `metadata.recordedAt` is the transaction time; the store's own time is the fallback. */
const recordTimeOf = (stored: StoredEvent): string => {
  const metadata = stored.metadata as Partial<DomainEventMetadata> | undefined;
  return typeof metadata?.recordedAt === 'string' ? metadata.recordedAt : stored.recordedAt;
};

const addTags = (state: ReadModelState, streamId: string, tags: string[]): void => {
  for (const name of tags) {
    const streams = state.tags.get(name) ?? new Set<string>();
    streams.add(streamId);
    state.tags.set(name, streams);
  }
};

const recordClock = (clock: RecordClock, recordedMs: number, position: number): void => {
  const last = clock.recordedMs.length - 1;
  if (last < 0 || clock.recordedMs[last] <= recordedMs) {
    clock.recordedMs.push(recordedMs);
    clock.positions.push(position);
    clock.maxPosition.push(Math.max(position, last < 0 ? 0 : clock.maxPosition[last]));
    return;
  }
  // Record times across streams may lag the position order; such events are rare and land near the end.
  const at = countAtOrBefore(clock.recordedMs, recordedMs);
  clock.recordedMs.splice(at, 0, recordedMs);
  clock.positions.splice(at, 0, position);
  clock.maxPosition.splice(at, 0, 0);
  for (let i = at; i < clock.positions.length; i++) {
    clock.maxPosition[i] = Math.max(clock.positions[i], i === 0 ? 0 : clock.maxPosition[i - 1]);
  }
};

/** The highest applied position whose event was recorded ≤ `knownAtMs` (0 when none): an answer's echo. */
export const positionKnownAt = (state: ReadModelState, knownAtMs: number): number => {
  const count = countAtOrBefore(state.clock.recordedMs, knownAtMs);
  return count === 0 ? 0 : state.clock.maxPosition[count - 1];
};

const countAtOrBefore = (sorted: readonly number[], value: number): number => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return low;
};

/** Streams under a tag (empty when none). */
export const streamsTagged = (state: ReadModelState, name: string): ReadonlySet<string> =>
  state.tags.get(name) ?? EMPTY;

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Finds the stream, type and position of any applied domain event (facts and amendments alike).
 *
 * @example
 *   locateEvent(state, correction.eventId)?.streamId // 'plant-catl-debrecen-hu'
 */
export const locateEvent = (state: ReadModelState, eventId: string): EventLocation | undefined =>
  state.locator.get(eventId);

/** An amendment of a fact, as audit shows it. */
export interface FactAmendment {
  eventId: string;
  kind: 'correction' | 'retraction';
  position: number;
  recordedAt: string;
  reason: string;
  changes?: Record<string, unknown>;
}

/** Every correction and retraction that amends `eventId`, in the order they were recorded. */
export const amendmentsOf = (state: ReadModelState, eventId: string): FactAmendment[] => {
  const location = state.locator.get(eventId);
  if (!location) return [];
  const timeline = state.entities.get(location.streamId);
  return (timeline?.amendments ?? [])
    .filter((amendment) => amendment.targetEventId === eventId)
    .map(({ eventId: id, kind, position, recordedAt, reason, changes }) => ({
      eventId: id,
      kind,
      position,
      recordedAt,
      reason,
      ...(changes ? { changes } : {}),
    }));
};

/**
 * A fresh state built from a sequence of events in global order, for replays and tests.
 *
 * @example
 *   const state = rebuildFromEvents(await collect(store.readAll()));
 */
export const rebuildFromEvents = (events: Iterable<StoredEvent>): ReadModelState => {
  const state = createState();
  for (const event of events) apply(state, event);
  return state;
};

/** The JSON form of a state, for checkpoints. */
export interface SerializedState {
  version: number;
  position: number;
  entities: EntityTimeline[];
  tags: [string, string[]][];
  clock: { recordedMs: number[]; positions: number[] };
}

/**
 * A JSON-able snapshot; `deserialize(serialize(s))` answers every query as `s` does. The snapshot shares
 * arrays with the live state: stringify it before applying further events.
 */
export const serialize = (state: ReadModelState): SerializedState => ({
  version: PROJECTION_VERSION,
  position: state.position,
  entities: [...state.entities.values()],
  tags: [...state.tags].map(([name, streams]) => [name, [...streams]]),
  clock: { recordedMs: state.clock.recordedMs, positions: state.clock.positions },
});

/**
 * Rebuilds a state from `serialize`'s output. Throws when the snapshot is of another
 * `PROJECTION_VERSION` or malformed; the caller then discards it and replays the log.
 */
export const deserialize = (json: unknown): ReadModelState => {
  const snapshot = json as SerializedState;
  if (typeof snapshot !== 'object' || snapshot === null || snapshot.version !== PROJECTION_VERSION) {
    throw new Error(`checkpoint is not of projection version ${PROJECTION_VERSION}`);
  }
  if (!Number.isInteger(snapshot.position) || !Array.isArray(snapshot.entities) || !Array.isArray(snapshot.tags)) {
    throw new Error('checkpoint is malformed');
  }
  const state = createState();
  state.position = snapshot.position;
  for (const timeline of snapshot.entities) {
    state.entities.set(timeline.streamId, timeline);
    for (const item of [...timeline.facts, ...timeline.amendments]) {
      state.locator.set(item.eventId, {
        streamId: timeline.streamId,
        type: 'type' in item ? item.type : item.kind === 'correction' ? 'FactCorrected' : 'FactRetracted',
        position: item.position,
      });
    }
  }
  for (const [name, streams] of snapshot.tags) state.tags.set(name, new Set(streams));
  const { recordedMs, positions } = snapshot.clock;
  state.clock = { recordedMs: [...recordedMs], positions: [...positions], maxPosition: [] };
  positions.forEach((position, i) => state.clock.maxPosition.push(Math.max(position, i === 0 ? 0 : state.clock.maxPosition[i - 1])));
  return state;
};
