import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreCorrupted, StoreUnavailable } from '../../event-store.errors';
import { translateSqliteError } from './sqlite-errors';

/** Stamped in the database header (`PRAGMA application_id`) so we never mistake someone else's file for ours: "BSCR". */
export const APPLICATION_ID = 0x42534352;
/** Stamped as `PRAGMA user_version`; raise it with a migration whenever the table shape changes. */
export const SCHEMA_VERSION = 1;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
const EVENT_COLUMNS = ['position', 'stream_id', 'revision', 'event_id', 'type', 'data', 'metadata', 'recorded_at'];

/*
 * Without AUTOINCREMENT a new rowid is max(rowid) + 1, so a rolled-back insert frees its position
 * for the next one: since rows are never deleted, the log stays gap-free.
 * There is no index on type: filtered reads walk the log by position and skip other types, which
 * keeps every page bounded and in order; an index would add write cost for little gain.
 */
const CREATE_SCHEMA = `
  CREATE TABLE events (
    position    INTEGER PRIMARY KEY,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    event_id    TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL
  );
  CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);
  CREATE UNIQUE INDEX events_event_id ON events (event_id);
  PRAGMA application_id = ${APPLICATION_ID};
  PRAGMA user_version = ${SCHEMA_VERSION};
`;

/**
 * Opens (or creates) an event database, refusing anything that is not ours or looks damaged before
 * a single byte is written to it. Checks are cheap (header, schema, one B-tree descent per index),
 * so opening stays fast however long the log is.
 */
export function openEventDatabase(filePath: string): Database.Database {
  try {
    mkdirSync(dirname(filePath), { recursive: true });
  } catch (error) {
    throw new StoreUnavailable(`cannot create the directory for event store file ${filePath}: ${(error as Error).message}`, error);
  }
  inspectFileHeader(filePath);

  let db: Database.Database;
  try {
    db = new Database(filePath, { timeout: 5_000 });
  } catch (error) {
    throw translateSqliteError(error, filePath, 'be opened');
  }
  try {
    if (isBlank(db, filePath)) initialise(db);
    else verifyOurs(db, filePath);
    if (String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase() !== 'wal') {
      throw new StoreUnavailable(`event store file ${filePath} cannot switch to write-ahead logging`);
    }
    db.pragma('synchronous = FULL');
    return db;
  } catch (error) {
    db.close();
    throw translateSqliteError(error, filePath, 'be opened');
  }
}

/** Rejects non-SQLite and visibly truncated files from their raw bytes, before SQLite touches them. */
function inspectFileHeader(filePath: string): void {
  if (!existsSync(filePath)) return;
  let size: number;
  const header = Buffer.alloc(HEADER_BYTES);
  try {
    const stats = statSync(filePath);
    if (!stats.isFile()) throw new StoreUnavailable(`event store path ${filePath} is not a regular file`);
    size = stats.size;
    if (size === 0) return;
    const fd = openSync(filePath, 'r');
    try {
      readSync(fd, header, 0, HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof StoreUnavailable) throw error;
    throw new StoreUnavailable(`cannot read event store file ${filePath}: ${(error as Error).message}`, error);
  }

  if (size < HEADER_BYTES || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new StoreCorrupted(`event store file ${filePath} is not a SQLite database (unrecognised header); refusing to open or overwrite it`);
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    throw new StoreCorrupted(`event store file ${filePath} has an invalid page size ${rawPageSize}; refusing to open it`);
  }
  if (size % pageSize !== 0) {
    throw new StoreCorrupted(`event store file ${filePath} is ${size} bytes, not a whole number of ${pageSize}-byte pages: truncated or damaged`);
  }
  // While a write-ahead log holds pages not yet copied back, the main file may legitimately be shorter than its header says.
  const walPath = `${filePath}-wal`;
  if (existsSync(walPath) && statSync(walPath).size > 0) return;
  const headerPageCountIsValid = header.readUInt32BE(92) === header.readUInt32BE(24);
  const headerPageCount = header.readUInt32BE(28);
  if (headerPageCountIsValid && headerPageCount * pageSize > size) {
    throw new StoreCorrupted(
      `event store file ${filePath} is truncated: its header counts ${headerPageCount} pages of ${pageSize} bytes but the file has ${size} bytes`,
    );
  }
}

function isBlank(db: Database.Database, filePath: string): boolean {
  const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (objects === 0 && applicationId === 0) return true;
  if (applicationId !== APPLICATION_ID) {
    throw new StoreCorrupted(
      `file ${filePath} is a SQLite database of another application (application_id ${applicationId}, ${objects} schema objects); refusing to use it as the event store`,
    );
  }
  return false;
}

function initialise(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.transaction(() => db.exec(CREATE_SCHEMA)).immediate();
}

function verifyOurs(db: Database.Database, filePath: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== SCHEMA_VERSION) {
    throw new StoreCorrupted(`event store file ${filePath} has schema version ${version}; this build reads version ${SCHEMA_VERSION} only`);
  }
  const columns = (db.pragma('table_info(events)') as { name: string }[]).map((column) => column.name);
  if (EVENT_COLUMNS.some((name) => !columns.includes(name))) {
    throw new StoreCorrupted(`event store file ${filePath} is stamped as ours but its events table is missing or reshaped (columns: ${columns.join(', ')})`);
  }
  // Descending each B-tree to both ends touches the pages most likely to be lost to truncation, at O(log n) cost.
  db.prepare('SELECT position, event_id, stream_id, revision, recorded_at FROM events ORDER BY position DESC LIMIT 1').get();
  db.prepare('SELECT position FROM events ORDER BY position ASC LIMIT 1').get();
  db.prepare('SELECT stream_id, revision FROM events INDEXED BY events_stream_revision ORDER BY stream_id DESC, revision DESC LIMIT 1').get();
  db.prepare('SELECT event_id FROM events INDEXED BY events_event_id ORDER BY event_id DESC LIMIT 1').get();
}
