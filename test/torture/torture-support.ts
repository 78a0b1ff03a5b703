import Database from 'better-sqlite3';
import path from 'node:path';
import { GENESIS_HASH, hashEvent } from '@bsc/audit';
import { EventRow, SELECT_COLUMNS, toStoredEvent } from '@bsc/event-store/adapters/sqlite/sqlite-event-store';

/** `npm run torture` sets TORTURE_LEVEL=long; `npm test` runs the short, bounded variant. */
export const LONG_RUN = process.env.TORTURE_LEVEL === 'long';

/** Per-key rate limiting would turn torture load into 429s, which test nothing here. */
export const TORTURE_ENV: Record<string, string> = { RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'error' };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export { seededRandom } from '../support/seeded-random';

/** The events table's row shape and its mapping to events are the SQLite adapter's: one definition of the schema. */
export { toStoredEvent };

/**
 * Reads the embedded store's file directly, read-only: the test must not depend on the API it is checking,
 * and WAL mode lets this reader run beside the API's writer.
 */
export const readLog = (dataDir: string, afterPosition = 0): EventRow[] => {
  const db = new Database(path.join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? ORDER BY position`)
      .all(afterPosition);
  } finally {
    db.close();
  }
};

/**
 * Checks the per-stream hash chains incrementally (a long torture run appends tens of thousands of events,
 * re-hashing all of them after every cycle would dominate the run). Positions must be gap-free and
 * revisions consecutive per stream. Returns the problems found, empty when the log is intact.
 */
export class ChainVerifier {
  private readonly tails = new Map<string, { revision: number; hash: string }>();
  private verifiedThrough = 0;

  get position(): number {
    return this.verifiedThrough;
  }

  verify(rows: readonly EventRow[]): string[] {
    const problems: string[] = [];
    for (const row of rows) {
      if (row.position <= this.verifiedThrough) continue;
      if (row.position !== this.verifiedThrough + 1) problems.push(`gap before position ${row.position} (verified through ${this.verifiedThrough})`);
      this.verifiedThrough = row.position;
      const event = toStoredEvent(row);
      const tail = this.tails.get(row.streamId);
      const expectedRevision = tail ? tail.revision + 1 : 0;
      if (row.revision !== expectedRevision) problems.push(`${row.streamId}: revision ${row.revision} where ${expectedRevision} was due`);
      const prevHash = tail ? tail.hash : GENESIS_HASH;
      if (event.metadata.prevHash !== prevHash) problems.push(`${row.streamId}@${row.revision}: prevHash does not link to the previous event`);
      const hash = hashEvent(event);
      if (event.metadata.hash !== hash) problems.push(`${row.streamId}@${row.revision}: hash does not match the event`);
      this.tails.set(row.streamId, { revision: row.revision, hash: String(event.metadata.hash) });
    }
    return problems;
  }
}

/** What a 201 acknowledged. */
export interface Acknowledged {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
}

/** Every acknowledged write is in the log exactly where the acknowledgement said. */
export const missingAcknowledged = (acknowledged: Iterable<Acknowledged>, log: readonly EventRow[]): Acknowledged[] => {
  const byId = new Map(log.map((row) => [row.eventId, row]));
  const missing: Acknowledged[] = [];
  for (const ack of acknowledged) {
    const row = byId.get(ack.eventId);
    if (!row || row.position !== ack.position || row.streamId !== ack.streamId || row.revision !== ack.revision) missing.push(ack);
  }
  return missing;
};

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A raw fetch that never throws on a dropped connection (a crash mid-request is expected): status 0. */
export const send = async (url: string, init: RequestInit & { timeoutMs?: number }): Promise<HttpAnswer> => {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      // non-JSON bodies stay as text
    }
    return { status: response.status, headers: response.headers, body };
  } catch {
    return { status: 0, headers: new Headers(), body: undefined };
  }
};

export const jsonHeaders = (key: string, extra: Record<string, string> = {}): Record<string, string> => ({
  Authorization: `Bearer ${key}`,
  'Content-Type': 'application/json',
  ...extra,
});
