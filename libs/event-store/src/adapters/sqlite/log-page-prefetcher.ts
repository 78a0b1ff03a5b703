import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StoredEvent } from '../../stored-event';

/** What the worker is started with. */
export interface PrefetchSettings {
  filePath: string;
  /** The metadata keys to read (undefined: all of it), already checked as plain names. */
  metadataKeys: readonly string[] | undefined;
  pageSize: number;
}

/** One page after `after`, no further than `through`. */
export interface PageRequest {
  after: number;
  through: number;
}

/** A page as the worker sends it: undefined text when a row was not of the types the table holds. */
export interface PageText {
  count: number;
  last: number;
  text: string | undefined;
}

type WorkerReply = PageText | { failed: string };

/**
 * Reads the log from `after` to `through` a page ahead, on a worker thread with its own read-only
 * connection: while the caller applies one page, the next is being read. Only committed positions are
 * asked for (`through` is a head already read), and those never change, so the worker's snapshot agrees
 * with the caller's.
 *
 * Any surprise (a page that does not parse, a row count that does not match, a worker that fails) ends
 * the read-ahead: `next` answers undefined from then on, and the caller reads on by itself from where it
 * is, reporting what it finds there as it always has.
 */
export class LogPagePrefetcher {
  private readonly worker: Worker;
  private pending: Promise<WorkerReply> | undefined;
  private replies: ((reply: WorkerReply) => void)[] = [];
  private after: number;
  private finished = false;

  constructor(
    private readonly settings: PrefetchSettings,
    after: number,
    private readonly through: number,
  ) {
    this.after = after;
    this.worker = new Worker(WORKER_FILE, { workerData: settings, execArgv: WORKER_EXEC_ARGV });
    this.worker.unref();
    const fail = (error: unknown) => this.settle({ failed: error instanceof Error ? error.message : String(error) });
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`log page worker exited with ${code}`)));
    this.request();
  }

  /** The events of the next page; undefined once `through` is reached or after a surprise. */
  async next(): Promise<StoredEvent[] | undefined> {
    if (this.pending === undefined) {
      this.close();
      return undefined;
    }
    const reply = await this.pending;
    this.pending = undefined;
    if ('failed' in reply || reply.text === undefined || reply.count === 0) {
      this.close();
      return undefined;
    }
    // Asked for before this one is parsed: the worker reads while the caller parses and applies.
    this.after = reply.last;
    if (this.after < this.through) this.request();
    const events = parsePage(reply.text, reply.count, this.settings.metadataKeys);
    if (events === undefined) this.close();
    return events;
  }

  close(): void {
    if (this.finished) return;
    this.finished = true;
    this.pending = undefined;
    void this.worker.terminate();
  }

  private request(): void {
    if (this.finished) return;
    this.pending = new Promise((resolve) => this.replies.push(resolve));
    this.worker.postMessage({ after: this.after, through: this.through } satisfies PageRequest);
  }

  private settle(reply: WorkerReply): void {
    this.replies.shift()?.(reply);
  }
}

/** The worker's page as stored events; undefined when it does not parse or does not hold `count` rows. */
function parsePage(text: string, count: number, metadataKeys: readonly string[] | undefined): StoredEvent[] | undefined {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(rows) || rows.length !== count) return undefined;
  const events = new Array<StoredEvent>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as [number, string, number, string, string, unknown, unknown, string];
    const metadata = metadataKeys ? pickedMetadata(row[6] as unknown[], metadataKeys) : (row[6] as StoredEvent['metadata']);
    events[i] = { eventId: row[3], streamId: row[1], revision: row[2], position: row[0], type: row[4], data: row[5], metadata, recordedAt: row[7] };
  }
  return events;
}

/** The worker's `[value]` (or 0 for a key the event lacks) per key, as the metadata object. */
function pickedMetadata(values: unknown[], metadataKeys: readonly string[]): StoredEvent['metadata'] {
  const metadata: StoredEvent['metadata'] = {};
  for (let i = 0; i < metadataKeys.length; i++) {
    const value = values[i];
    if (Array.isArray(value)) metadata[metadataKeys[i]] = value[0];
  }
  return metadata;
}

/** The compiled worker beside this file; under ts-node or ts-jest (a .ts file) it is compiled on load. */
const WORKER_FILE = join(__dirname, `log-page-worker${extname(__filename)}`);
const WORKER_EXEC_ARGV = extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [];
