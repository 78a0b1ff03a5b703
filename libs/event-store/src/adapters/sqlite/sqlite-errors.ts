import { EventStoreError, StoreCorrupted, StoreUnavailable } from '../../event-store.errors';

/** better-sqlite3 reports failures as errors with an extended SQLite result code such as `SQLITE_IOERR_FSYNC`. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Maps a driver failure to the port's errors, so nothing above the adapter sees better-sqlite3.
 * A short read means the file ended before SQLite expected it to, which is damage, not an outage.
 */
export function translateSqliteError(error: unknown, filePath: string, doing: string): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const code = sqliteCode(error) ?? '';
  const reason = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR_SHORT_READ') {
    return new StoreCorrupted(`event store file ${filePath} is damaged (${code}: ${reason}) while trying to ${doing}; it was left untouched`, error);
  }
  return new StoreUnavailable(`event store file ${filePath} cannot ${doing}: ${code ? `${code}: ` : ''}${reason}`, error);
}
