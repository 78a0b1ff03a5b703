import { EventStore } from '@bsc/event-store';
import { recordTimeOf } from './read-model-state';

/** How far the projection trails the log. */
export interface ProjectionLag {
  headPosition: number;
  /**
   * Events stored and not yet applied, counted up to `CAUGHT_UP_EVENTS + 1` (more than the bound reads as
   * that). Not the difference of positions: those are counts on SQLite but byte offsets on EventStoreDB,
   * where a thousand positions are one or two events.
   */
  events: number;
  /**
   * How long ago the oldest event not yet applied was recorded (`recordTimeOf`): 0 when there is none;
   * undefined when its record time does not parse.
   */
  ms?: number;
}

/** What the log holds after the projection's position. */
export interface Unapplied {
  /** Counted up to `CAUGHT_UP_EVENTS + 1`, as `ProjectionLag.events`. */
  events: number;
  /** Record time (epoch ms) of the first of them; undefined when there is none or it does not parse. */
  oldestRecordedMs?: number;
}

/** Within this many events of the head, the projection is caught up. */
export const CAUGHT_UP_EVENTS = 1000;
/** Further behind in events, the projection is still caught up while what it has not applied is at most this old. */
export const CAUGHT_UP_MS = 5000;

/**
 * How many events the log holds after `position` (the projection's), reading no more than `CAUGHT_UP_EVENTS + 1`
 * of them, and when the first of them was recorded. The read starts at `position` itself, an event's position
 * or 0: a position made up may lie inside a record on EventStoreDB.
 */
export const unappliedAfter = async (store: Pick<EventStore, 'readAll'>, position: number, headPosition: number): Promise<Unapplied> => {
  if (headPosition <= position) return { events: 0 };
  let events = 0;
  let oldestRecordedMs: number | undefined;
  for await (const event of store.readAll({ fromPosition: position > 0 ? position : undefined, limit: CAUGHT_UP_EVENTS + 2 })) {
    if (event.position <= position) continue;
    if (events === 0) oldestRecordedMs = Date.parse(recordTimeOf(event));
    if (++events > CAUGHT_UP_EVENTS) break;
  }
  return Number.isNaN(oldestRecordedMs) ? { events } : { events, oldestRecordedMs };
};

/**
 * The projection's lag behind the store's `headPosition`, given what the log holds after its position, as of
 * `now` (ms since the epoch). Whether a hold keeps the events back or the runner is still applying them,
 * the log tells their age alike.
 */
export const projectionLag = (headPosition: number, { events, oldestRecordedMs }: Unapplied, now = Date.now()): ProjectionLag => {
  if (events === 0) return { headPosition, events, ms: 0 };
  return oldestRecordedMs === undefined ? { headPosition, events } : { headPosition, events, ms: Math.max(0, now - oldestRecordedMs) };
};

/**
 * Either bound suffices. A list over every company holds the projection still for a second or two at a
 * million events, and a bulk import may store ten thousand events in that time or faster than they are
 * applied: far behind in events, seconds at most in time. A projection catching up on older events (a
 * start from an old checkpoint, an outage) is behind in both.
 */
export const isCaughtUp = (lag: ProjectionLag): boolean => lag.events <= CAUGHT_UP_EVENTS || (lag.ms !== undefined && lag.ms <= CAUGHT_UP_MS);
