import { EventStore } from '@bsc/event-store';

/** How far the projection trails the log. */
export interface ProjectionLag {
  headPosition: number;
  /** Positions stored and not yet applied. */
  positions: number;
  /** How long ago the store wrote the oldest event not yet applied (0 when there is none). */
  ms: number;
}

/** Within this many positions of the head, the projection is caught up whatever the time. */
export const CAUGHT_UP_POSITIONS = 1000;
/** Applying nothing the store wrote longer ago than this, the projection is caught up however many positions behind. */
export const CAUGHT_UP_MS = 5000;

/** The lag of a projection that has applied the log up to `position`, as of `now` (ms since the epoch). */
export const projectionLag = async (store: Pick<EventStore, 'headPosition' | 'readAll'>, position: number, now = Date.now()): Promise<ProjectionLag> => {
  const headPosition = await store.headPosition();
  const positions = Math.max(0, headPosition - position);
  let ms = 0;
  if (positions > 0) {
    // From the applied event itself, a position every store can start a read at (EventStoreDB's are not contiguous).
    for await (const event of store.readAll({ fromPosition: position, limit: 2 })) {
      if (event.position <= position) continue;
      ms = Math.max(0, now - Date.parse(event.recordedAt));
      break;
    }
  }
  return { headPosition, positions, ms };
};

/**
 * Either bound suffices. A list over every company holds the projection still for a second or two (see
 * `ProjectionRunner.hold`), and a bulk import may store ten thousand events meanwhile: far behind in
 * positions, seconds at most in time. An import that keeps old store times is the other way round.
 * A projection catching up on older events (a start from an old checkpoint, an outage) is behind in both.
 */
export const isCaughtUp = (lag: ProjectionLag): boolean => lag.positions <= CAUGHT_UP_POSITIONS || lag.ms <= CAUGHT_UP_MS;
