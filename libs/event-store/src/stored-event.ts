/** Metadata every stored event carries; adapters store it verbatim and never interpret it. */
export type EventMetadata = Record<string, unknown>;

/** An event as handed to `append`: the id is chosen by the caller so retries can be recognised. */
export interface NewEvent {
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/**
 * An event as read back. `revision` counts from 0 within its stream; `position` is the global log
 * position (strictly increasing; gap-free on the embedded store, opaque-but-ordered elsewhere).
 * `recordedAt` is the store's own record time (ISO 8601, UTC).
 */
export interface StoredEvent {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: string;
}
