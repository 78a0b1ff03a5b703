import { DOMAIN_EVENT_TYPES, DomainEvent, DomainEventMetadata, DomainEventType, withChanges } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import {
  EntityTimeline,
  TimelineAmendment,
  TimelineFact,
  appendAmendment,
  appendFact,
  countAtOrBelow,
  emptyTimeline,
  recordedAtOf,
  verbatimRecordedAt,
} from './fact-timeline';
import { EventIdMap } from './event-id-map';
import { SlicedBuild, runInSlices } from './in-slices';

/**
 * Version of the state's shape and of the rules that build it. Bump it whenever either changes: a
 * checkpoint written under another version is discarded and the state rebuilt from the log.
 */
export const PROJECTION_VERSION = 3;

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
  /**
   * Event id → the fact or amendment itself (it knows its stream). Only corrections and audit look events
   * up by id, so it is built after start in the background (`locateEventsInBackground`) or on the first
   * lookup (see `locateEvent`) rather than by every replay; once it exists, `apply` keeps it current.
   */
  locator?: EventIdMap<TimelineFact | TimelineAmendment>;
  /** The locator while `locateEventsInBackground` builds it: `apply` adds to it too, lookups do not use it. */
  locatorDraft?: EventIdMap<TimelineFact | TimelineAmendment>;
  /**
   * Tag → its streams, each once, in the order they joined, so a query touches only the entities it
   * concerns. Lists rather than sets: a stream's timeline remembers the lists it is in (`inTags`), which
   * makes joining a tag a push instead of an insert into a hash table of up to hundreds of thousands.
   */
  tags: Map<string, string[]>;
  clock: RecordClock;
  /**
   * Streams given entries since the last checkpoint section began, while a checkpoint file takes sections
   * of changes (see `serializeChanges`); undefined otherwise, and `apply` then keeps nothing.
   */
  touched?: Set<string>;
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

/** Puts the stream under the tags of one of its facts (as it reads with its corrections). */
const tagStream = (state: ReadModelState, timeline: EntityTimeline, event: DomainEvent): void => {
  switch (event.type) {
    case 'CompanyRegistered':
      return addTag(state, tag.companies, timeline);
    case 'FinancingRoundClosed':
      addTag(state, tag.financing, timeline);
      return addRouteTags(state, timeline, event.data.technologyRoutes);
    case 'CapacityAnnounced':
      addTag(state, tag.plants, timeline);
      addTag(state, tag.plantsOfCompany(event.data.companyId), timeline);
      return addTag(state, tag.route(event.data.technologyRoute), timeline);
    case 'StandardRegistered':
      addTag(state, tag.standards, timeline);
      return addRouteTags(state, timeline, event.data.technologyRoutes);
    case 'TariffMeasureImposed':
      return addTag(state, tag.tariffLane(event.data.importer, event.data.origin), timeline);
    case 'TechnologyRouteRegistered':
      return addTag(state, tag.registeredRoutes, timeline);
    case 'TechnologyMilestoneReached':
      return addTag(state, tag.route(event.data.technologyRoute), timeline);
  }
};

const addRouteTags = (state: ReadModelState, timeline: EntityTimeline, routes: unknown): void => {
  if (!Array.isArray(routes)) return;
  for (const route of routes) if (typeof route === 'string') addTag(state, tag.route(route), timeline);
};

/**
 * Applies one stored event, in global order. Events of unknown types only advance `position`. Throws
 * `ProjectionError`, leaving the state untouched, for an event it cannot take (position not after the
 * last one, data that is not an object, no readable record time).
 */
export const apply = (state: ReadModelState, stored: StoredEvent): ReadModelState => {
  if (!(stored.position > state.position)) {
    throw new ProjectionError(stored.position, stored.eventId, `position is not after ${state.position}`);
  }
  const type = DOMAIN_TYPES.get(stored.type);
  if (type === undefined) {
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
  const event = { type, data: stored.data } as DomainEvent;
  let timeline = state.entities.get(stored.streamId);
  if (timeline === undefined) {
    timeline = emptyTimeline(stored.streamId);
    state.entities.set(timeline.streamId, timeline);
  }
  // Every entry shares the timeline's copy of the stream id (each read of the log brings a new one).
  const streamId = timeline.streamId;
  let item: TimelineFact | TimelineAmendment;
  if (event.type === 'FactCorrected' || event.type === 'FactRetracted') {
    const amendment: TimelineAmendment = {
      eventId: stored.eventId,
      streamId,
      kind: event.type === 'FactCorrected' ? 'correction' : 'retraction',
      targetEventId: event.data.eventId,
      changes: event.type === 'FactCorrected' ? { ...event.data.changes } : undefined,
      reason: event.data.reason,
      position: stored.position,
      recordedAt,
      recordedMs,
    };
    appendAmendment(timeline, amendment);
    const target = amendment.changes && timeline.facts.find((fact) => fact.eventId === amendment.targetEventId);
    if (target) {
      // A correction may move a fact to another company, route or lane: index it under both.
      tagStream(state, timeline, { type: target.type, data: withChanges(target.data, amendment.changes) } as DomainEvent);
    }
    item = amendment;
  } else {
    const fact: TimelineFact = { eventId: stored.eventId, streamId, type, data: event.data, position: stored.position, recordedAt, recordedMs };
    appendFact(timeline, fact);
    tagStream(state, timeline, event);
    item = fact;
  }
  state.touched?.add(streamId);
  state.routeIndex?.pendingStreams.push(streamId);
  state.routeIndex?.pendingItems.push(item);
  recordClock(state.clock, item.recordedMs, stored.position);
  (state.locator ?? state.locatorDraft)?.set(item.eventId, item);
  state.position = stored.position;
  return state;
};

/** Canonical copies of the domain event types: facts keep these instead of a new string per event read. */
const DOMAIN_TYPES: ReadonlyMap<string, DomainEventType> = new Map(DOMAIN_EVENT_TYPES.map((type) => [type, type]));

/** The only metadata `apply` reads: replays ask the store for no more (see `SubscribeAllOptions.metadataKeys`). */
export const PROJECTED_METADATA_KEYS: readonly string[] = ['recordedAt'];

/** The write path's `metadata.recordedAt` is the transaction time; the store's own time is the fallback. */
export const recordTimeOf = (stored: StoredEvent): string => {
  const metadata = stored.metadata as Partial<DomainEventMetadata> | undefined;
  return typeof metadata?.recordedAt === 'string' ? metadata.recordedAt : stored.recordedAt;
};

const addTag = (state: ReadModelState, name: string, timeline: EntityTimeline): void => {
  let streams = state.tags.get(name);
  if (streams === undefined) state.tags.set(name, (streams = []));
  else if (timeline.inTags?.includes(streams)) return;
  joinTag(timeline, streams);
};

const joinTag = (timeline: EntityTimeline, streams: string[]): void => {
  streams.push(timeline.streamId);
  // `concat` makes an array of the exact length; a push or a spread leaves room for ~16 more, ~130 bytes in
  // each of a million-event history's 265 000 timelines.
  timeline.inTags = timeline.inTags === undefined ? [streams] : timeline.inTags.concat([streams]);
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
  const at = countAtOrBelow(clock.recordedMs, ms, recordedMs);
  clock.recordedMs.splice(at, 0, recordedMs);
  clock.positions.splice(at, 0, position);
  clock.maxPosition.splice(at, 0, 0);
  for (let i = at; i < clock.positions.length; i++) {
    clock.maxPosition[i] = Math.max(clock.positions[i], i === 0 ? 0 : clock.maxPosition[i - 1]);
  }
};

/** The highest applied position whose event was recorded ≤ `knownAtMs` (0 when none): an answer's echo. */
export const positionKnownAt = (state: ReadModelState, knownAtMs: number): number => {
  const count = countAtOrBelow(state.clock.recordedMs, ms, knownAtMs);
  return count === 0 ? 0 : state.clock.maxPosition[count - 1];
};

const ms = (recordedMs: number): number => recordedMs;

/** Streams under a tag, each once (empty when none). */
export const streamsTagged = (state: ReadModelState, name: string): readonly string[] => state.tags.get(name) ?? [];

/** Whether the stream is under the tag. */
export const isTagged = (state: ReadModelState, streamId: string, name: string): boolean => {
  const streams = state.tags.get(name);
  return streams !== undefined && state.entities.get(streamId)?.inTags?.includes(streams) === true;
};

/**
 * The timelines of the streams under a tag, in the tag's order. Kept per tag (a tag only grows, and a
 * stream's timeline is one object for good) because looking each stream up in a map of hundreds of
 * thousands is, at a million events, much of what a query over a company's plants costs.
 */
export const timelinesTagged = (state: ReadModelState, name: string): readonly EntityTimeline[] => {
  const streams = state.tags.get(name);
  if (streams === undefined) return [];
  let tagged = TIMELINES_TAGGED.get(streams);
  if (tagged === undefined || tagged.size !== streams.length) {
    const timelines: EntityTimeline[] = [];
    for (const streamId of streams) {
      const timeline = state.entities.get(streamId);
      if (timeline !== undefined) timelines.push(timeline);
    }
    TIMELINES_TAGGED.set(streams, (tagged = { size: streams.length, timelines }));
  }
  return tagged.timelines;
};

const TIMELINES_TAGGED = new WeakMap<readonly string[], { size: number; timelines: EntityTimeline[] }>();

/**
 * Finds the stream, type and position of any applied domain event (facts and amendments alike).
 *
 * @example
 *   locateEvent(state, correction.eventId)?.streamId // 'plant-catl-debrecen-hu'
 */
export const locateEvent = (state: ReadModelState, eventId: string): EventLocation | undefined => {
  const item = locatorOf(state).get(eventId);
  if (item === undefined) return undefined;
  return { streamId: item.streamId, type: 'type' in item ? item.type : amendmentType(item), position: item.position };
};

/**
 * The locator; without one (or while the background build is under way) it is built here, at once: about
 * a second per million events, the way for a replay or a test, which have no requests to keep answering.
 */
const locatorOf = (state: ReadModelState): EventIdMap<TimelineFact | TimelineAmendment> => {
  if (state.locator === undefined) {
    const locator = new EventIdMap<TimelineFact | TimelineAmendment>();
    for (const timeline of state.entities.values()) addToLocator(locator, timeline);
    state.locator = locator;
    state.locatorDraft = undefined;
  }
  return state.locator;
};

const addToLocator = (locator: EventIdMap<TimelineFact | TimelineAmendment>, timeline: EntityTimeline): void => {
  for (const fact of timeline.facts) locator.set(fact.eventId, fact);
  for (const amendment of timeline.amendments) locator.set(amendment.eventId, amendment);
};

/** Timelines taken between two looks at the clock: a look costs more than one timeline. */
const TIMELINES_PER_CLOCK_CHECK = 256;

/**
 * Builds the event locator in slices of `sliceMs` between other work, right after start-up, so the first
 * correction or audit lookup does not hold the event loop for the whole build. Events applied meanwhile go
 * into the draft too (a Map's iterator also visits streams added after it started). A lookup that comes
 * first builds the locator at once (`locatorOf`), and this build then ends.
 */
export const locateEventsInBackground = (state: ReadModelState, sliceMs = 10): SlicedBuild => {
  if (state.locator !== undefined) return { stop: () => undefined, done: Promise.resolve() };
  const draft = new EventIdMap<TimelineFact | TimelineAmendment>();
  state.locatorDraft = draft;
  const timelines = state.entities.values();
  const build = runInSlices((ms) => {
    if (state.locatorDraft !== draft) return true;
    const until = performance.now() + ms;
    for (let taken = 1, next = timelines.next(); !next.done; taken++, next = timelines.next()) {
      addToLocator(draft, next.value);
      if (taken % TIMELINES_PER_CLOCK_CHECK === 0 && performance.now() >= until) return false;
    }
    state.locator = draft;
    state.locatorDraft = undefined;
    return true;
  }, sliceMs);
  return {
    stop: () => {
      if (state.locatorDraft === draft) state.locatorDraft = undefined;
      build.stop();
    },
    done: build.done,
  };
};

const amendmentType = (amendment: TimelineAmendment): DomainEventType => (amendment.kind === 'correction' ? 'FactCorrected' : 'FactRetracted');

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
  const location = locatorOf(state).get(eventId);
  if (!location) return [];
  const timeline = state.entities.get(location.streamId);
  return (timeline?.amendments ?? [])
    .filter((amendment) => amendment.targetEventId === eventId)
    .map((amendment) => ({
      eventId: amendment.eventId,
      kind: amendment.kind,
      position: amendment.position,
      recordedAt: recordedAtOf(amendment),
      reason: amendment.reason,
      ...(amendment.changes ? { changes: amendment.changes } : {}),
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

/** A state serialized under another `PROJECTION_VERSION`: discard it and replay the log. */
export class CheckpointVersionMismatch extends Error {
  constructor(readonly found: unknown) {
    super(`checkpoint is of projection version ${JSON.stringify(found)}, not ${PROJECTION_VERSION}`);
    this.name = 'CheckpointVersionMismatch';
  }
}

/** A fact as a checkpoint line holds it; `recordedAt` only when it is kept verbatim. */
type FactRow = [eventId: string, type: string, data: object, position: number, recordedMs: number, recordedAt?: string];
type AmendmentRow = [
  eventId: string,
  kind: TimelineAmendment['kind'],
  targetEventId: string,
  changes: Record<string, unknown> | null,
  reason: string,
  position: number,
  recordedMs: number,
  recordedAt?: string,
];

/**
 * Entries per checkpoint line: an entity's facts and amendments, a tag's streams, the record clock. The
 * writer yields to the event loop between chunks of lines but never inside a line, so a line's length
 * bounds how long a checkpoint written under load holds up requests: one line per tag, or for a route's ten
 * thousand milestones, took tens of ms.
 */
const LINE_SLICE = 4096;

/**
 * The state as lines of JSON, for a checkpoint written and read piece by piece instead of as one string
 * the size of the state: a header (`version`, `position`), per entity a line of its first facts and
 * amendments (as arrays) and `more` lines for the rest, per tag lines of its streams, the record clock,
 * each in slices of at most `LINE_SLICE` entries, and an end line that tells a complete file from a cut
 * one. The lines describe the state at the call, even if they are consumed while later events are applied:
 * entries past its position are left out.
 */
export const serialize = (state: ReadModelState, mark: CheckpointMark = checkpointMark(state)): Iterable<string> =>
  // `apply` may splice a late record time into the clock: copy it while it matches `position`.
  serializedLines(state, mark.position, mark.tagSizes, state.clock.recordedMs.slice(), state.clock.positions.slice());

/** Where a checkpoint section leaves off: its position, and each tag's length then (tags only grow, at their end). */
export interface CheckpointMark {
  position: number;
  tagSizes: ReadonlyMap<string, number>;
}

/** The state's mark now; take it when the section's lines are asked for, as `serialize` does. */
export const checkpointMark = (state: ReadModelState): CheckpointMark => ({
  position: state.position,
  tagSizes: new Map([...state.tags].map(([name, streams]) => [name, streams.length])),
});

/**
 * What changed between two marks, as a section to add to a checkpoint after the one that left off at
 * `since`: a header (`version`, `position`, `after`), per touched stream the entries it was given (timelines
 * only grow, at their end) in `entries` lines, per tag the streams that joined it in `joined` lines, and
 * an end line with the count of lines between. The record clock is not written: each entry is a point of
 * it, and the reader puts them back in position order as `apply` did. `touched` holds every stream given
 * an entry after `since` (`ReadModelState.touched`); like `serialize`, the lines leave out entries past
 * `mark`, however late they are consumed.
 */
export const serializeChanges = (state: ReadModelState, since: CheckpointMark, touched: Iterable<string>, mark: CheckpointMark = checkpointMark(state)): Iterable<string> =>
  changedLines(state, since, [...touched], mark);

function* changedLines(state: ReadModelState, since: CheckpointMark, touched: readonly string[], mark: CheckpointMark): Generator<string> {
  yield JSON.stringify({ version: PROJECTION_VERSION, position: mark.position, after: since.position });
  let lines = 0;
  for (const streamId of touched) {
    const timeline = state.entities.get(streamId);
    if (timeline === undefined) continue;
    const facts = entriesBetween(timeline.facts, since.position, mark.position);
    const amendments = entriesBetween(timeline.amendments, since.position, mark.position);
    for (let at = 0; at < Math.max(facts.length, amendments.length); at += LINE_SLICE) {
      yield JSON.stringify(['entries', streamId, facts.slice(at, at + LINE_SLICE).map(factRow), amendments.slice(at, at + LINE_SLICE).map(amendmentRow)]);
      lines++;
    }
  }
  for (const [name, size] of mark.tagSizes) {
    const streams = state.tags.get(name)!;
    for (let at = since.tagSizes.get(name) ?? 0; at < size; at += LINE_SLICE) {
      yield JSON.stringify(['joined', name, streams.slice(at, Math.min(at + LINE_SLICE, size))]);
      lines++;
    }
  }
  yield JSON.stringify(['end', lines]);
}

/** A timeline's entries with positions in (after, through]: the last ones (timelines are in log order). */
const entriesBetween = <T extends { position: number }>(entries: readonly T[], after: number, through: number): T[] => {
  const end = appliedCount(entries, through);
  let start = end;
  while (start > 0 && entries[start - 1].position > after) start -= 1;
  return entries.slice(start, end);
};

function* serializedLines(
  state: ReadModelState,
  position: number,
  tagSizes: ReadonlyMap<string, number>,
  recordedMs: number[],
  positions: number[],
): Generator<string> {
  yield JSON.stringify({ version: PROJECTION_VERSION, position });
  // A tag names its streams by their entity's place in the file: shorter, and read without hashing strings.
  const ordinals = new Map<string, number>();
  for (const timeline of state.entities.values()) {
    // Counted now: events applied while this entity's lines are read append past these counts.
    const facts = appliedCount(timeline.facts, position);
    const amendments = appliedCount(timeline.amendments, position);
    if (facts === 0 && amendments === 0) continue;
    ordinals.set(timeline.streamId, ordinals.size);
    for (let at = 0; at < Math.max(facts, amendments); at += LINE_SLICE) {
      const factRows = timeline.facts.slice(at, Math.min(at + LINE_SLICE, facts)).map(factRow);
      const amendmentRows = timeline.amendments.slice(at, Math.min(at + LINE_SLICE, amendments)).map(amendmentRow);
      yield JSON.stringify(at === 0 ? ['entity', timeline.streamId, factRows, amendmentRows] : ['more', factRows, amendmentRows]);
    }
  }
  for (const [name, size] of tagSizes) {
    // Tags only grow, at their end, so the first `size` streams are the tag at the call; every one of them
    // has an entry applied by then, so it has an ordinal. An empty tag still gets its line.
    const streams = state.tags.get(name)!;
    for (let at = 0; at === 0 || at < size; at += LINE_SLICE) {
      yield JSON.stringify(['tag', name, streams.slice(at, Math.min(at + LINE_SLICE, size)).map((streamId) => ordinals.get(streamId)!)]);
    }
  }
  const entities = ordinals.size;
  for (let at = 0; at < positions.length; at += LINE_SLICE) {
    yield JSON.stringify(['clock', recordedMs.slice(at, at + LINE_SLICE), positions.slice(at, at + LINE_SLICE)]);
  }
  yield JSON.stringify(['end', entities]);
}

/** How many leading entries were applied by `position` (a stream's entries are in log order). */
const appliedCount = (entries: readonly { position: number }[], position: number): number => {
  let count = entries.length;
  while (count > 0 && entries[count - 1].position > position) count -= 1;
  return count;
};

const factRow = (fact: TimelineFact): FactRow => {
  const row: FactRow = [fact.eventId, fact.type, fact.data, fact.position, fact.recordedMs];
  const recordedAt = verbatimRecordedAt(fact);
  if (recordedAt !== undefined) row.push(recordedAt);
  return row;
};

const amendmentRow = (amendment: TimelineAmendment): AmendmentRow => {
  const { eventId, kind, targetEventId, changes, reason, position, recordedMs } = amendment;
  const row: AmendmentRow = [eventId, kind, targetEventId, changes ?? null, reason, position, recordedMs];
  const recordedAt = verbatimRecordedAt(amendment);
  if (recordedAt !== undefined) row.push(recordedAt);
  return row;
};

/**
 * Rebuilds a state from `serialize`'s lines, each followed by any number of `serializeChanges` sections,
 * taken one at a time: from memory, or as they are read from a file, a batch at a time (an await per line
 * would cost more than the line). Throws `CheckpointVersionMismatch` for lines of another
 * `PROJECTION_VERSION` and an error for malformed or incomplete ones; the caller then discards them and
 * replays the log. A section is taken whole or not at all: the first one cut short (a crash while it was
 * added) or not following on from the state ends what is read, and the state is that of the section before.
 */
export const deserialize = async (lines: Iterable<string> | AsyncIterable<readonly string[]>): Promise<ReadModelState> => {
  const state = createState();
  let header = false;
  let ended = false;
  const entities: EntityTimeline[] = [];
  let lastEntity: EntityTimeline | undefined;
  const sections = new SectionReader(state);
  const take = (text: string): void => {
    if (ended) return sections.take(text);
    const line = JSON.parse(text) as unknown;
    if (!header) {
      const { version, position } = (line ?? {}) as { version?: unknown; position?: unknown };
      if (version !== PROJECTION_VERSION) throw new CheckpointVersionMismatch(version);
      if (!Number.isInteger(position)) throw malformed('no position in the header');
      state.position = position as number;
      header = true;
    } else if (!Array.isArray(line)) {
      throw malformed('a line that is not an array');
    } else if (line[0] === 'entity') {
      lastEntity = restoreEntity(state, line);
      entities.push(lastEntity);
    } else if (line[0] === 'more' && lastEntity !== undefined) {
      restoreEntries(lastEntity, line[1], line[2]);
    } else if (line[0] === 'tag' && typeof line[1] === 'string' && Array.isArray(line[2])) {
      lastEntity = undefined;
      // A long tag spans several lines, which add to it in order.
      let streams = state.tags.get(line[1]);
      if (streams === undefined) state.tags.set(line[1], (streams = []));
      for (const ordinal of line[2] as number[]) {
        const timeline = entities[ordinal];
        if (timeline === undefined) throw malformed(`tag ${line[1]} names entity ${ordinal}`);
        if (!timeline.inTags?.includes(streams)) joinTag(timeline, streams);
      }
    } else if (line[0] === 'clock' && Array.isArray(line[1]) && Array.isArray(line[2]) && line[1].length === line[2].length) {
      lastEntity = undefined;
      for (const ms of line[1] as number[]) state.clock.recordedMs.push(ms);
      for (const position of line[2] as number[]) state.clock.positions.push(position);
    } else if (line[0] === 'end' && line[1] === entities.length) {
      ended = true;
      const { positions, maxPosition } = state.clock;
      positions.forEach((position, i) => maxPosition.push(Math.max(position, i === 0 ? 0 : maxPosition[i - 1])));
    } else {
      throw malformed(`an unexpected line ${JSON.stringify(text.slice(0, 80))}`);
    }
  };
  if (Symbol.asyncIterator in lines) {
    for await (const batch of lines) for (const text of batch) take(text);
  } else {
    for (const text of lines) take(text);
  }
  if (!ended) throw malformed(header ? 'it ends before its end line' : 'it is empty');
  return state;
};

/** Takes the `serializeChanges` sections after a checkpoint's first part, applying each once it is whole. */
class SectionReader {
  private section?: { position: number; lines: unknown[] };
  /** Set at the first line that cannot be part of a whole section following on from the state: nothing after it is read. */
  private stopped = false;

  constructor(private readonly state: ReadModelState) {}

  take(text: string): void {
    if (this.stopped) return;
    let line: unknown;
    try {
      line = JSON.parse(text);
    } catch {
      this.stopped = true;
      return;
    }
    if (this.section === undefined) {
      const { version, position, after } = (line ?? {}) as { version?: unknown; position?: unknown; after?: unknown };
      if (version !== PROJECTION_VERSION || !Number.isInteger(position) || after !== this.state.position || (position as number) < after) this.stopped = true;
      else this.section = { position: position as number, lines: [] };
    } else if (Array.isArray(line) && line[0] === 'end') {
      const { section } = this;
      this.section = undefined;
      if (line[1] === section.lines.length) applySection(this.state, section);
      else this.stopped = true;
    } else {
      this.section.lines.push(line);
    }
  }
}

/**
 * Adds a whole section's entries and tag members, and its entries' points to the record clock in log order.
 * The section follows on from the state: its entries lie between `state.position` and its own position.
 */
const applySection = (state: ReadModelState, section: { position: number; lines: unknown[] }): void => {
  const after = state.position;
  const points: { position: number; recordedMs: number }[] = [];
  for (const line of section.lines) {
    if (Array.isArray(line) && line[0] === 'entries' && typeof line[1] === 'string') {
      let timeline = state.entities.get(line[1]);
      if (timeline === undefined) state.entities.set(line[1], (timeline = emptyTimeline(line[1])));
      const facts = timeline.facts.length;
      const amendments = timeline.amendments.length;
      restoreEntries(timeline, line[2], line[3]);
      for (const entry of [...timeline.facts.slice(facts), ...timeline.amendments.slice(amendments)]) {
        if (entry.position <= after || entry.position > section.position) throw malformed(`an entry of ${timeline.streamId} at ${entry.position}, outside its section`);
        points.push(entry);
      }
    } else if (Array.isArray(line) && line[0] === 'joined' && typeof line[1] === 'string' && Array.isArray(line[2])) {
      for (const streamId of line[2] as unknown[]) {
        const timeline = typeof streamId === 'string' ? state.entities.get(streamId) : undefined;
        if (timeline === undefined) throw malformed(`tag ${line[1]} names stream ${JSON.stringify(streamId)}`);
        addTag(state, line[1], timeline);
      }
    } else {
      throw malformed(`an unexpected line in a section ${JSON.stringify(JSON.stringify(line).slice(0, 80))}`);
    }
  }
  points.sort((a, b) => a.position - b.position);
  for (const { position, recordedMs } of points) recordClock(state.clock, recordedMs, position);
  state.position = section.position;
};

const malformed = (what: string): Error => new Error(`checkpoint is malformed: ${what}`);

/** Restores one entity line; its `more` lines follow it. */
const restoreEntity = (state: ReadModelState, line: unknown[]): EntityTimeline => {
  const [, streamId, facts, amendments] = line;
  if (typeof streamId !== 'string') throw malformed(`entity ${JSON.stringify(streamId)}`);
  const timeline = emptyTimeline(streamId);
  restoreEntries(timeline, facts, amendments);
  state.entities.set(streamId, timeline);
  return timeline;
};

/** Appends an entity line's facts and amendments to its timeline. */
const restoreEntries = (timeline: EntityTimeline, facts: unknown, amendments: unknown): void => {
  const { streamId } = timeline;
  if (!Array.isArray(facts) || !Array.isArray(amendments)) throw malformed(`entity ${JSON.stringify(streamId)}`);
  for (const [eventId, typeName, data, position, recordedMs, recordedAt] of facts as FactRow[]) {
    const type = DOMAIN_TYPES.get(typeName);
    if (typeof eventId !== 'string' || type === undefined || typeof data !== 'object' || data === null || !Number.isInteger(position) || !Number.isFinite(recordedMs)) {
      throw malformed(`a fact of ${streamId}`);
    }
    // Same property order as in `apply`, so restored and applied facts share one shape.
    const fact: TimelineFact = { eventId, streamId, type, data: data as DomainEvent['data'], position, recordedAt, recordedMs };
    timeline.facts.push(fact);
  }
  for (const [eventId, kind, targetEventId, changes, reason, position, recordedMs, recordedAt] of amendments as AmendmentRow[]) {
    if (typeof eventId !== 'string' || (kind !== 'correction' && kind !== 'retraction') || !Number.isInteger(position) || !Number.isFinite(recordedMs)) {
      throw malformed(`an amendment of ${streamId}`);
    }
    const amendment: TimelineAmendment = {
      eventId,
      streamId,
      kind,
      targetEventId,
      changes: changes ?? undefined,
      reason,
      position,
      recordedAt,
      recordedMs,
    };
    timeline.amendments.push(amendment);
  }
};
