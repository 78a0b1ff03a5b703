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

const METADATA_KEY = /^[A-Za-z0-9_]+$/;

/** The `metadataKeys` of a read, checked (RangeError for a name that is not letters, digits and underscores). */
export function checkedMetadataKeys(keys: readonly string[] | undefined): readonly string[] | undefined {
  const bad = keys?.find((key) => !METADATA_KEY.test(key));
  if (bad !== undefined) throw new RangeError(`metadata key ${JSON.stringify(bad)} is not a plain name`);
  return keys;
}

/** `metadata` reduced to `keys` (those it has); all of it when `keys` is undefined. */
export function pickMetadata(metadata: EventMetadata, keys: readonly string[] | undefined): EventMetadata {
  if (keys === undefined) return metadata;
  const picked: EventMetadata = {};
  for (const key of keys) if (Object.hasOwn(metadata, key)) picked[key] = metadata[key];
  return picked;
}
