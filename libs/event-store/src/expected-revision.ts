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
