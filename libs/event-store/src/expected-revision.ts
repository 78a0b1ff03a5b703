/** The stream must not exist yet. */
export const NO_STREAM = 'no-stream' as const;
/** The stream must exist, at any revision. */
export const STREAM_EXISTS = 'stream-exists' as const;
/** No check at all. */
export const ANY = 'any' as const;

/** What a writer believes about a stream before appending: a concrete revision or one of the states. */
export type ExpectedRevision = number | typeof NO_STREAM | typeof STREAM_EXISTS | typeof ANY;

/** The current state of a stream, as reported in a conflict. */
export type ActualRevision = number | typeof NO_STREAM;

/** Whether a stream at `actual` meets a writer's `expected` revision. */
export const revisionSatisfies = (expected: ExpectedRevision, actual: ActualRevision): boolean => {
  switch (expected) {
    case ANY:
      return true;
    case NO_STREAM:
      return actual === NO_STREAM;
    case STREAM_EXISTS:
      return actual !== NO_STREAM;
    default:
      return expected === actual;
  }
};
