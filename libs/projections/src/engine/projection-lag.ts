import { ProjectionStatus } from './projection-runner';

/** How far the projection trails the log. */
export interface ProjectionLag {
  headPosition: number;
  /** Positions stored and not yet applied. */
  positions: number;
  /**
   * How long ago the oldest event not yet applied was recorded: 0 when there is none, known otherwise
   * only while a hold keeps the runner from applying what it has read (see `ProjectionRunner.hold`).
   */
  ms?: number;
}

/** Within this many positions of the head, the projection is caught up. */
export const CAUGHT_UP_POSITIONS = 1000;
/** Held back by readers, the projection is caught up while what it has not applied is at most this old. */
export const CAUGHT_UP_MS = 5000;

/** The lag of the projection in `status` behind the store's `headPosition`, as of `now` (ms since the epoch). */
export const projectionLag = (status: ProjectionStatus, headPosition: number, now = Date.now()): ProjectionLag => {
  const positions = Math.max(0, headPosition - status.position);
  if (positions === 0) return { headPosition, positions, ms: 0 };
  return status.heldBackSinceMs === undefined ? { headPosition, positions } : { headPosition, positions, ms: Math.max(0, now - status.heldBackSinceMs) };
};

/**
 * Either bound suffices. A list over every company holds the projection still for a second or two at a
 * million events, and a bulk import may store ten thousand events meanwhile: far behind in positions,
 * seconds at most in time. A projection catching up on older events (a start from an old checkpoint, an
 * outage) is behind in positions, and in time too if a list holds it meanwhile.
 */
export const isCaughtUp = (lag: ProjectionLag): boolean => lag.positions <= CAUGHT_UP_POSITIONS || (lag.ms !== undefined && lag.ms <= CAUGHT_UP_MS);
