import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, StoredEvent, StreamNotFound } from '@bsc/event-store';
import { amendmentsOf, recordTimeOf } from '@bsc/projections';
import { ProblemException } from '../http/problem';
import { ProjectionsService } from '../read-models/projections.service';
import { AuditEventsQuery, DEFAULT_PAGE_LIMIT, StreamEventsQuery } from './audit-requests.dto';
import { AuditEventResponse, AuditEventWithAmendments, AuditEventsPage, StreamEventsPage } from './audit-responses.dto';
import { logPage } from './log-page';

/**
 * How many events one page may look at when filters other than type leave most of them out; the page then
 * ends early with a `nextPosition`, so no request scans an unbounded stretch of the log.
 */
const SCAN_BUDGET = 20_000;

/** The event as auditors see it; `recordedAt` is the transaction time read models filter knownAt on. */
export const auditViewOf = (event: StoredEvent): AuditEventResponse => ({
  eventId: event.eventId,
  streamId: event.streamId,
  revision: event.revision,
  position: event.position,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recordedAt: recordTimeOf(event),
});

const notFound = (detail: string): ProblemException => new ProblemException(404, 'not-found', 'Not found', detail);

/** Reads of the raw history: the global log and single streams, paged and filtered. */
@Injectable()
export class AuditHistoryService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  async page(query: AuditEventsQuery): Promise<AuditEventsPage> {
    const { fromPosition } = query;
    const recordedFromMs = query.recordedFrom === undefined ? Number.NEGATIVE_INFINITY : Date.parse(query.recordedFrom);
    const recordedToMs = query.recordedTo === undefined ? Number.POSITIVE_INFINITY : Date.parse(query.recordedTo);
    const keep = (event: StoredEvent): boolean => {
      if (query.type !== undefined && event.type !== query.type) return false;
      if (query.streamId !== undefined && event.streamId !== query.streamId) return false;
      const recordedMs = Date.parse(recordTimeOf(event));
      return recordedMs >= recordedFromMs && recordedMs <= recordedToMs;
    };
    // Without fromPosition, from the start of the log: not from position 1, which on EventStoreDB lies inside a record.
    const candidates =
      query.streamId !== undefined
        ? this.streamFrom(query.streamId, fromPosition ?? 0)
        : this.store.readAll({ fromPosition, filter: query.type ? { eventTypes: [query.type] } : undefined });
    const { events, nextPosition } = await logPage(candidates, keep, query.limit ?? DEFAULT_PAGE_LIMIT, SCAN_BUDGET);
    return { events: events.map(auditViewOf), nextPosition };
  }

  /** The stream's events at or after `fromPosition`; a stream's positions rise with its revisions. */
  private async *streamFrom(streamId: string, fromPosition: number): AsyncIterable<StoredEvent> {
    try {
      for await (const event of this.store.readStream(streamId)) if (event.position >= fromPosition) yield event;
    } catch (error) {
      if (!(error instanceof StreamNotFound)) throw error;
    }
  }

  async stream(streamId: string, query: StreamEventsQuery): Promise<StreamEventsPage> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
    const events: AuditEventResponse[] = [];
    let nextRevision: number | null = null;
    try {
      for await (const event of this.store.readStream(streamId, { fromRevision: query.fromRevision ?? 0, limit: limit + 1 })) {
        if (events.length === limit) {
          nextRevision = event.revision;
          break;
        }
        events.push(auditViewOf(event));
      }
    } catch (error) {
      if (error instanceof StreamNotFound) throw notFound(`No stream ${streamId} exists.`);
      throw error;
    }
    return { streamId, events, nextRevision };
  }

  /** One event found through the projections' locator, with the corrections and retraction that amend it. */
  async event(eventId: string): Promise<AuditEventWithAmendments> {
    const location = await this.projections.locate(eventId);
    if (!location) throw notFound(`No fact or amendment with event id ${eventId} is stored.`);
    const stream = new Map<string, StoredEvent>();
    for await (const event of this.store.readStream(location.streamId)) stream.set(event.eventId, event);
    const target = stream.get(eventId);
    if (!target) throw notFound(`Event ${eventId} is no longer in stream ${location.streamId}.`);
    const amendments = amendmentsOf(this.projections.state, eventId).map((amendment) => {
      const amending = stream.get(amendment.eventId);
      return Object.assign({}, amendment, { event: amending ? auditViewOf(amending) : null });
    });
    return Object.assign(auditViewOf(target), { amendments });
  }
}
