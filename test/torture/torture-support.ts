import Database from 'better-sqlite3';
import path from 'node:path';
import { GENESIS_HASH, hashEvent } from '@bsc/audit';
import { StoredEvent } from '@bsc/event-store';
import { EsdbEventStore } from '@bsc/event-store/adapters/esdb/esdb-event-store';
import { EventRow, SELECT_COLUMNS, toStoredEvent } from '@bsc/event-store/adapters/sqlite/sqlite-event-store';
import { TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody } from '../support/seed-bodies';

/** `npm run torture` sets TORTURE_LEVEL=long; `npm test` runs the short, bounded variant. */
export const LONG_RUN = process.env.TORTURE_LEVEL === 'long';

/** Per-key rate limiting would turn torture load into 429s, which test nothing here. */
export const TORTURE_ENV: Record<string, string> = { RATE_LIMIT_PER_MINUTE: '100000000', LOG_LEVEL: 'error' };

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export { seededRandom } from '../support/seeded-random';

/** Every event of an open store file after a position, in log order. */
const eventsIn = (db: Database.Database, after = 0): StoredEvent[] =>
  db.prepare<[number], EventRow>(`SELECT ${SELECT_COLUMNS} FROM events WHERE position > ? ORDER BY position`).all(after).map(toStoredEvent);

/**
 * Reads the embedded store's file directly, read-only: the test must not depend on the API it is checking,
 * and WAL mode lets this reader run beside the API's writer. `after` reads only the events past a position.
 */
export const readLog = (dataDir: string, after = 0): StoredEvent[] => {
  const db = new Database(path.join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    return eventsIn(db, after);
  } finally {
    db.close();
  }
};

/**
 * The log an app writes, read beside the API and never through it: SQLite's file read-only, or the app's
 * EventStoreDB through a client of its own.
 */
export interface AppLog {
  /** Every event, in log order. */
  events(): Promise<StoredEvent[]>;
  headPosition(): Promise<number>;
  /** Positions count events one by one (SQLite), rather than being gapped byte offsets (EventStoreDB). */
  gapFree: boolean;
  close(): Promise<void>;
}

export const openAppLog = (app: TestApp): AppLog => (app.storeUrl === undefined ? sqliteLog(app.dataDir) : esdbLog(app.storeUrl));

const sqliteLog = (dataDir: string): AppLog => {
  const db = new Database(path.join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  const head = db.prepare<[], { head: number }>('SELECT coalesce(max(position), 0) AS head FROM events');
  return {
    events: async () => eventsIn(db),
    headPosition: async () => head.get()!.head,
    gapFree: true,
    close: async () => void db.close(),
  };
};

const esdbLog = (storeUrl: string): AppLog => {
  const store = EsdbEventStore.connect(storeUrl);
  return {
    events: async () => {
      const events: StoredEvent[] = [];
      for await (const event of store.readAll()) events.push(event);
      return events;
    },
    headPosition: () => store.headPosition(),
    gapFree: false,
    close: () => store.close(),
  };
};

/**
 * Checks the per-stream hash chains incrementally (a long torture run appends tens of thousands of events,
 * re-hashing all of them after every cycle would dominate the run). Positions must rise (and be gap-free,
 * unless told they are byte offsets) and revisions be consecutive per stream. Returns the problems found,
 * empty when the log is intact.
 */
export class ChainVerifier {
  private readonly tails = new Map<string, { revision: number; hash: string }>();
  private verifiedThrough = 0;

  constructor(private readonly gapFree = true) {}

  get position(): number {
    return this.verifiedThrough;
  }

  verify(events: readonly StoredEvent[]): string[] {
    const problems: string[] = [];
    for (const event of events) {
      if (event.position <= this.verifiedThrough) continue;
      if (this.gapFree && event.position !== this.verifiedThrough + 1) problems.push(`gap before position ${event.position} (verified through ${this.verifiedThrough})`);
      this.verifiedThrough = event.position;
      const { streamId, revision } = event;
      const tail = this.tails.get(streamId);
      const expectedRevision = tail ? tail.revision + 1 : 0;
      if (revision !== expectedRevision) problems.push(`${streamId}: revision ${revision} where ${expectedRevision} was due`);
      const prevHash = tail ? tail.hash : GENESIS_HASH;
      if (event.metadata.prevHash !== prevHash) problems.push(`${streamId}@${revision}: prevHash does not link to the previous event`);
      const hash = hashEvent(event);
      if (event.metadata.hash !== hash) problems.push(`${streamId}@${revision}: hash does not match the event`);
      this.tails.set(streamId, { revision, hash: String(event.metadata.hash) });
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
export const missingAcknowledged = (acknowledged: Iterable<Acknowledged>, log: readonly StoredEvent[]): Acknowledged[] => {
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

/** Items in a torture batch: at least 64, so the API validates it on its worker threads. */
export const TORTURE_BATCH_ITEMS = 64;

/** A `/v1/batch` body and what each of its items would add to the clients' shared lists once acknowledged. */
export interface TortureBatch {
  items: object[];
  /** Item index → the company or plant it registers. */
  registers: Map<number, { company: string } | { plant: string }>;
}

/**
 * A mixed batch: a quarter new companies, then plants of those (which wait for a later wave) or of known
 * companies, then commissionings of known plants (or of the batch's own new plants when none is known yet).
 */
export const tortureBatch = (prefix: string, known: { companies: readonly string[]; plants: readonly string[] }, pick: (count: number) => number): TortureBatch => {
  const items: object[] = [];
  const registers: TortureBatch['registers'] = new Map();
  const companies = Array.from({ length: TORTURE_BATCH_ITEMS / 4 }, (_, i) => `${prefix}-co-${i}`);
  const plants: string[] = [];
  for (const companyId of companies) {
    registers.set(items.length, { company: companyId });
    items.push({ kind: 'company', ...companyBody(companyId) });
  }
  for (let i = 0; i < (TORTURE_BATCH_ITEMS * 3) / 8; i++) {
    const plantId = `${prefix}-plant-${i}`;
    const owners = i % 2 === 0 || known.companies.length === 0 ? companies : known.companies;
    plants.push(plantId);
    registers.set(items.length, { plant: plantId });
    items.push({ kind: 'capacity-announcement', ...announcementBody(plantId, owners[pick(owners.length)]) });
  }
  while (items.length < TORTURE_BATCH_ITEMS) {
    const targets = known.plants.length > 0 ? known.plants : plants;
    items.push({ kind: 'commissioning', plantId: targets[pick(targets.length)], ...commissioningBody(1 + pick(20) / 10) });
  }
  return { items, registers };
};
