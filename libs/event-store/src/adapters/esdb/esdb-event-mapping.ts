import { AllStreamResolvedEvent, JSONType, ResolvedEvent, jsonEvent } from '@eventstore/db-client';
import { EventMetadata, NewEvent, StoredEvent } from '../../stored-event';
import { toPortPosition, toPortRevision } from './esdb-positions';

/**
 * A port event as the client's JSON event: the caller's id, JSON data and JSON metadata. Throws a
 * TypeError, before anything is sent, for a payload JSON cannot represent (the client would fail
 * half-way through the gRPC call instead).
 */
export function toJsonEvent(event: NewEvent) {
  return jsonEvent({
    id: event.eventId,
    type: event.type,
    // The port carries any JSON value; the client's type only names objects, arrays and strings.
    data: assertJson(event.data ?? null, 'data') as JSONType,
    metadata: assertJson(event.metadata ?? {}, 'metadata') as JSONType,
  });
}

function assertJson(value: unknown, field: string): unknown {
  if (typeof JSON.stringify(value) !== 'string') throw new TypeError(`event ${field} must be representable as JSON`);
  return value;
}

/**
 * A read or subscription result as a port event. `undefined` for what the port never shows: an
 * unresolved link, a system event (type or stream starting with `$`).
 */
export function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | undefined {
  const event = resolved.event;
  if (!event || isSystemEvent(event.streamId, event.type)) return undefined;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new RangeError(`EventStoreDB event ${event.id} came without a position`);
  return {
    eventId: event.id,
    streamId: event.streamId,
    revision: toPortRevision(event.revision),
    position: toPortPosition(commit),
    type: event.type,
    data: event.data,
    metadata: toMetadata(event.metadata),
    recordedAt: event.created.toISOString(),
  };
}

export function isSystemEvent(streamId: string, type: string): boolean {
  return type.startsWith('$') || streamId.startsWith('$');
}

/** Events written by other tools may carry binary or no metadata; the port always has an object. */
function toMetadata(metadata: unknown): EventMetadata {
  if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata) && !(metadata instanceof Uint8Array)) {
    return metadata as EventMetadata;
  }
  return {};
}
