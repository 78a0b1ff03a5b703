import { hash } from 'node:crypto';
import { GENESIS_HASH, sealEvent } from '@bsc/audit';
import { WriteContext } from '../http/write-context';
import { EventStore, NO_STREAM, StreamNotFound, WrongExpectedRevision, newEventId } from '@bsc/event-store';

/** Stored once per (principal, key): the request it answered and the answer. */
export interface IdempotencyRecord {
  requestHash: string;
  response: unknown;
  recordedAt: string;
}

export interface SealedRecord {
  record: IdempotencyRecord;
  metadata: Record<string, unknown>;
  eventId: string;
}

export const IDEMPOTENCY_EVENT_TYPE = 'IdempotencyKeyUsed';
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency-';

/**
 * Idempotency records live in the event store itself, one stream per (principal, key), so they survive
 * restarts and are shared by every replica on EventStoreDB, whose own duplicate detection is best-effort.
 * The stream is written with `no-stream`: of two racing first uses, exactly one record wins.
 */
export class IdempotencyStore {
  constructor(private readonly store: EventStore) {}

  static streamFor(principalName: string, key: string): string {
    return `${IDEMPOTENCY_STREAM_PREFIX}${hash('sha256', `${principalName}\n${key}`, 'hex').slice(0, 40)}`;
  }

  /** Idempotency records are chained like any stream, so the integrity check covers them too. */
  static seal(streamId: string, context: Pick<WriteContext, 'principal' | 'correlationId' | 'causationId'>, record: IdempotencyRecord): SealedRecord {
    const eventId = newEventId();
    const metadata = sealEvent({
      eventId,
      streamId,
      type: IDEMPOTENCY_EVENT_TYPE,
      data: record,
      metadata: {
        schemaVersion: 1,
        recordedAt: record.recordedAt,
        recordedBy: context.principal.name,
        correlationId: context.correlationId,
        causationId: context.causationId,
        prevHash: GENESIS_HASH,
      },
    });
    return { record, metadata, eventId };
  }

  async find(streamId: string): Promise<IdempotencyRecord | undefined> {
    try {
      for await (const event of this.store.readStream(streamId, { limit: 1 })) return event.data as IdempotencyRecord;
    } catch (error) {
      if (error instanceof StreamNotFound) return undefined;
      throw error;
    }
    return undefined;
  }

  /** Saves the record; when another request saved one first, returns that one instead. */
  async save(streamId: string, sealed: SealedRecord): Promise<IdempotencyRecord> {
    const { record, metadata, eventId } = sealed;
    try {
      await this.store.append(streamId, [{ eventId, type: IDEMPOTENCY_EVENT_TYPE, data: record, metadata }], { expectedRevision: NO_STREAM });
      return record;
    } catch (error) {
      if (error instanceof WrongExpectedRevision) return (await this.find(streamId)) ?? record;
      throw error;
    }
  }
}

/** Hash of what makes two requests "the same": the route's command and the source, canonically. */
export const requestHashOf = (canonicalRequest: string): string => hash('sha256', canonicalRequest, 'hex');
