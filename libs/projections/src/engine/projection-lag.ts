import { EventStore } from '@bsc/event-store';
import { ProjectionStatus } from './projection-runner';

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
   * How long ago the oldest event not yet applied was recorded: 0 when there is none, known otherwise
   * only while a hold keeps the runner from applying what it has read (see `ProjectionRunner.hold`).
   */
  ms?: number;
}

/** Within this many events of the head, the projection is caught up. */
export const CAUGHT_UP_EVENTS = 1000;
/** Held back by readers, the projection is caught up while what it has not applied is at most this old. */
export const CAUGHT_UP_MS = 5000;

/**
 * How many events the log holds after `position` (the projection's), reading no more than `CAUGHT_UP_EVENTS + 1`
 * of them. The read starts at `position` itself, an event's position or 0: a position made up may lie inside a
 * record on EventStoreDB.
 */
export const eventsAfter = async (store: Pick<EventStore, 'readAll'>, position: number, headPosition: number): Promise<number> => {
  if (headPosition <= position) return 0;
  let count = 0;
  for await (const event of store.readAll({ fromPosition: position > 0 ? position : undefined, limit: CAUGHT_UP_EVENTS + 2 })) {
    if (event.position > position && ++count > CAUGHT_UP_EVENTS) break;
  }
  return count;
};

/** The lag of the projection in `status`, `events` behind the store's `headPosition`, as of `now` (ms since the epoch). */
export const projectionLag = (status: ProjectionStatus, headPosition: number, events: number, now = Date.now()): ProjectionLag => {
  if (events === 0) return { headPosition, events, ms: 0 };
  return status.heldBackSinceMs === undefined ? { headPosition, events } : { headPosition, events, ms: Math.max(0, now - status.heldBackSinceMs) };
};

/**
 * Either bound suffices. A list over every company holds the projection still for a second or two at a
 * million events, and a bulk import may store ten thousand events meanwhile: far behind in events,
 * seconds at most in time. A projection catching up on older events (a start from an old checkpoint, an
 * outage) is behind in events, and in time too if a list holds it meanwhile.
 */
export const isCaughtUp = (lag: ProjectionLag): boolean => lag.events <= CAUGHT_UP_EVENTS || (lag.ms !== undefined && lag.ms <= CAUGHT_UP_MS);
