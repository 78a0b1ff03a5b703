import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { EVENT_STORE, EventStore, StoredEvent } from '@bsc/event-store';
import type { FastifyReply } from 'fastify';
import { auditViewOf } from './audit-history.service';
import { LIVE_FEED_CONFIG, LiveFeedConfig } from './live-feed.config';

/** After the parting frame, how long a stalled client may keep the socket (and its buffer) before it is cut. */
const PARTING_GRACE_MS = 30_000;

/** One server-sent event: the position as its id, so a client resumes with Last-Event-ID. */
export const frameOf = (event: StoredEvent): string => `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(auditViewOf(event))}\n\n`;

const disconnectFrame = (reason: string): string => `event: disconnect\ndata: ${JSON.stringify({ reason })}\n\n`;

/**
 * The live feed's connections: each one a store subscription written to a hijacked response. Memory per
 * client stays bounded: a client that leaves more than `maxBufferedBytes` unread and does not read it down
 * within `drainTimeoutMs` is told why and disconnected.
 */
@Injectable()
export class LiveFeedService implements OnModuleDestroy {
  private readonly open = new Set<(reason: string) => void>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LIVE_FEED_CONFIG) private readonly config: LiveFeedConfig,
  ) {}

  /** Without this, open feeds would keep the HTTP server from closing on shutdown. */
  onModuleDestroy(): void {
    for (const stop of [...this.open]) stop('server shutting down');
  }

  /** Streams every event after `afterPosition` (default: the head now) until the client leaves or falls behind. */
  async stream(reply: FastifyReply, afterPosition: number | undefined): Promise<void> {
    if (afterPosition !== undefined) await this.assertReadableFrom(afterPosition);
    const from = afterPosition ?? (await this.store.headPosition());
    reply.hijack();
    const raw = reply.raw;
    // The request's own logger: these lines carry the client's correlation id.
    const log = reply.log.child({ context: 'LiveFeed' });
    raw.writeHead(
      200,
      Object.assign({}, reply.getHeaders() as Record<string, string>, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      }),
    );
    raw.write(`: events after position ${from}\n\n`);

    const subscription = this.store.subscribeAll({ fromPosition: from })[Symbol.asyncIterator]();
    let streaming = true;
    const heartbeat = setInterval(() => {
      if (!raw.destroyed && !raw.writableEnded) raw.write(': heartbeat\n\n');
    }, this.config.heartbeatMs);
    const stop = (reason?: string): void => {
      if (!streaming) return;
      streaming = false;
      clearInterval(heartbeat);
      this.open.delete(stop);
      // Ends a pending next() at once, so the store forgets the subscription now, not at the next append.
      void subscription.return?.();
      if (raw.destroyed || raw.writableEnded) return;
      if (reason) raw.write(disconnectFrame(reason));
      raw.end();
      const cut = setTimeout(() => raw.destroy(), PARTING_GRACE_MS);
      cut.unref();
      raw.once('close', () => clearTimeout(cut));
    };
    this.open.add(stop);
    raw.once('close', () => stop());

    try {
      for (;;) {
        const next = await subscription.next();
        if (next.done || !streaming) break;
        raw.write(frameOf(next.value));
        if (raw.writableLength > this.config.maxBufferedBytes && !(await this.drained(raw))) {
          log.warn({ position: next.value.position, bufferedBytes: raw.writableLength }, 'live feed client too slow: disconnected');
          stop('client too slow');
          return;
        }
      }
      stop('event store closed');
    } catch (error) {
      log.error({ err: error }, 'live feed subscription failed');
      stop('event store unavailable');
    }
  }

  /**
   * Throws PositionNotInLog while the answer can still be a 400: once hijacked, a subscription refused for
   * its start could only end the stream. A read from there fails the same way (EventStoreDB) or not at all.
   */
  private async assertReadableFrom(position: number): Promise<void> {
    const read = this.store.readAll({ fromPosition: position, limit: 1 })[Symbol.asyncIterator]();
    try {
      await read.next();
    } finally {
      await read.return?.();
    }
  }

  /** True once the client has read the buffer down; false if it has not within the drain timeout. */
  private drained(raw: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        raw.off('drain', onDrain);
        raw.off('close', onClose);
        resolve(value);
      };
      const onDrain = () => done(true);
      const onClose = () => done(false);
      const timer = setTimeout(() => done(false), this.config.drainTimeoutMs);
      raw.on('drain', onDrain);
      raw.on('close', onClose);
    });
  }
}
