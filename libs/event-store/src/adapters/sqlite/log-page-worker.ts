import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { PageRequest, PageText, PrefetchSettings } from './log-page-prefetcher';

/**
 * The worker side of `LogPagePrefetcher`: its own read-only connection, answering each request with one
 * page of the log as a single JSON text. SQLite's step and the strings it makes per column cost more than
 * parsing that text, so a replay gets them done here, on the other core, while it applies the page before.
 *
 * The stored `data` and metadata are JSON already and go in verbatim; a page the parent cannot parse (a
 * damaged row) is read again by the parent itself, which reports it exactly as it always has.
 */
const settings = workerData as PrefetchSettings;
const db = new Database(settings.filePath, { readonly: true, fileMustExist: true });

/**
 * Each picked metadata key as `[value]`, or 0 where the event has no such key (a JSON null is a value):
 * the parent makes the object. Without keys, the whole metadata.
 */
const metadataJson = !settings.metadataKeys
  ? 'metadata'
  : settings.metadataKeys.length === 0
    ? `'[]'`
    : `'[' || ${settings.metadataKeys.map((key) => `coalesce('[' || (metadata -> '$.${key}') || ']', '0')`).join(` || ',' || `)} || ']'`;
/**
 * The page as one JSON text of `[position, streamId, revision, eventId, type, data, metadata, recordedAt]`
 * rows, built by SQLite itself, with the row count and last position beside it. A row with a NULL column
 * drops out of the text, so the parent checks the count.
 */
const page = db.prepare<[number, number, number], { count: number; last: number | null; text: string | null }>(
  `SELECT count(*) AS count, max(position) AS last,
     '[' || group_concat('[' || position || ',' || json_quote(stream_id) || ',' || revision || ',' || json_quote(event_id) || ','
       || json_quote(type) || ',' || data || ',' || ${metadataJson} || ',' || json_quote(recorded_at) || ']', ',') || ']' AS text
   FROM (SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position ASC LIMIT ?)`,
);

const answer = (request: PageRequest): PageText => {
  const { count, last, text } = page.get(request.after, request.through, settings.pageSize) ?? { count: 0, last: null, text: null };
  return { count, last: last ?? request.after, text: text ?? undefined };
};

parentPort?.on('message', (request: PageRequest) => {
  try {
    parentPort?.postMessage(answer(request));
  } catch (error) {
    parentPort?.postMessage({ failed: error instanceof Error ? error.message : String(error) });
  }
});
