import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** `prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The metadata fields the chain seals (everything but `hash` itself). */
export const CHAINED_METADATA_FIELDS = [
  'schemaVersion',
  'recordedAt',
  'recordedBy',
  'source',
  'correlationId',
  'causationId',
  'idempotencyKey',
  'prevHash',
] as const;

export interface ChainedEvent {
  eventId: string;
  streamId: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * SHA-256 over a canonical serialisation of the event's identity, stream, type, data and sealed metadata.
 * Changing any of them, or the order of events in a stream (through `prevHash`), changes the hash.
 */
export const hashEvent = (event: ChainedEvent): string => {
  const sealed: Record<string, unknown> = {};
  for (const field of CHAINED_METADATA_FIELDS) sealed[field] = event.metadata[field];
  const payload = canonicalJson({ eventId: event.eventId, streamId: event.streamId, type: event.type, data: event.data, metadata: sealed });
  return hash('sha256', payload, 'hex');
};

/** Seals metadata that already carries `prevHash`: returns it with `hash` filled in. */
export const sealEvent = <M extends Record<string, unknown>>(event: Omit<ChainedEvent, 'metadata'> & { metadata: M }): M & { hash: string } =>
  Object.assign({}, event.metadata, { hash: hashEvent(event) });
