import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OnApplicationShutdown } from '@nestjs/common';
import { ValidatedBatchItem, validateBatchItem } from './request-kinds';

/** One chunk of items for a worker. */
export interface ChunkRequest {
  id: number;
  items: unknown[];
}

/**
 * An item's answer: valid, invalid, or `crashed` when checking it threw (a bug of ours, never the client's
 * fault): that item alone fails, as a 500, and the rest of its batch is answered as usual.
 */
export type CheckedBatchItem = ValidatedBatchItem | { ok: false; crashed: Error };

/** Validates one item, turning a throw into that item's own answer. */
export const checkBatchItem = (item: unknown): Promise<CheckedBatchItem> =>
  validateBatchItem(item).catch((error: unknown) => ({ ok: false as const, crashed: error instanceof Error ? error : new Error(String(error)) }));

/** A worker's answer for a chunk: one result per item, or why it could not validate them. */
export type ChunkReply = { id: number; results: CheckedBatchItem[] } | { id: number; failed: string };

/** What a worker says once its modules are loaded (about half a second): from then on it takes chunks. */
export const WORKER_READY = 'ready';

type WorkerMessage = ChunkReply | typeof WORKER_READY;

/** Items per message: a worker starts on the first chunk while the next is still being copied to it. */
const CHUNK_ITEMS = 250;
/** Below this, a round trip to a worker costs more than validating here. */
const MIN_ITEMS_FOR_WORKERS = 64;
/** Items validated on the event loop between two turns, when validating here. */
const INLINE_SLICE = 200;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Validates here, letting other requests in between slices: validation is CPU work in microtasks. */
const validateHere = async (items: readonly unknown[]): Promise<CheckedBatchItem[]> => {
  const results = new Array<CheckedBatchItem>(items.length);
  for (let i = 0; i < items.length; i++) {
    results[i] = await checkBatchItem(items[i]);
    if (i % INLINE_SLICE === INLINE_SLICE - 1) await yieldToEventLoop();
  }
  return results;
};

export interface BatchItemValidatorOptions {
  /** Worker threads to spread large batches over; 0 validates every batch on the calling thread. */
  threads: number;
  /** For tests: a worker that fails, to show the batch does not. */
  workerFile?: string;
  /** Told when a worker fails or exits unasked (its chunks are then validated here). */
  onWorkerFailure?: (error: Error) => void;
}

/**
 * Validates batch items on worker threads, so a large batch's validation (class-transformer and
 * class-validator: about a sixth of the main thread's time per item, and most of what it allocated) runs
 * beside the event loop instead of on it. The workers run the same `validateBatchItem` as everything else,
 * so an item is refused for the same reasons wherever it is checked.
 *
 * With `threads` 0, or for small batches, items are validated on the calling thread, and so are chunks
 * while no worker is ready yet: workers start with the first large batch, which does not wait for them.
 * A worker that fails or exits is dropped and its chunks are validated here: a batch never fails because
 * a worker did. The next large batch starts a new one.
 */
export class BatchItemValidator implements OnApplicationShutdown {
  private readonly workers: (ValidationWorker | undefined)[];
  private nextWorker = 0;

  private readonly workerFile: string;
  private readonly onWorkerFailure: (error: Error) => void;

  constructor({ threads, workerFile = WORKER_FILE, onWorkerFailure = () => undefined }: BatchItemValidatorOptions) {
    this.workerFile = workerFile;
    this.onWorkerFailure = onWorkerFailure;
    this.workers = new Array<ValidationWorker | undefined>(threads).fill(undefined);
  }

  async validate(items: readonly unknown[]): Promise<CheckedBatchItem[]> {
    if (this.workers.length === 0 || items.length < MIN_ITEMS_FOR_WORKERS) return validateHere(items);
    const chunks: Promise<CheckedBatchItem[]>[] = [];
    for (let start = 0; start < items.length; start += CHUNK_ITEMS) {
      const chunk = items.slice(start, start + CHUNK_ITEMS);
      const worker = this.readyWorker();
      if (worker === undefined) {
        chunks.push(validateHere(chunk));
        continue;
      }
      chunks.push(worker.validate(chunk).catch(() => validateHere(chunk)));
    }
    return (await Promise.all(chunks)).flat();
  }

  /** Workers that have loaded and take chunks now. */
  get readyThreads(): number {
    return this.workers.filter((worker) => worker?.ready === true && !worker.failed).length;
  }

  /** After the listener has closed and in-flight requests have been answered: they may still need workers. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Stops every worker; a later `validate` starts them again. */
  async close(): Promise<void> {
    const running = this.workers.filter((worker): worker is ValidationWorker => worker !== undefined);
    this.workers.fill(undefined);
    await Promise.all(running.map((worker) => worker.close()));
  }

  /** The next ready worker in turn, after starting any that are missing (or replacing failed ones). */
  private readyWorker(): ValidationWorker | undefined {
    for (let slot = 0; slot < this.workers.length; slot++) {
      const worker = this.workers[slot];
      if (worker === undefined || worker.failed) this.workers[slot] = new ValidationWorker(this.workerFile, this.onWorkerFailure);
    }
    for (let tried = 0; tried < this.workers.length; tried++) {
      const worker = this.workers[this.nextWorker];
      this.nextWorker = (this.nextWorker + 1) % this.workers.length;
      if (worker?.ready) return worker;
    }
    return undefined;
  }
}

/** One worker thread and the chunks it has been sent, answered in the order they were sent. */
class ValidationWorker {
  ready = false;
  failed = false;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (results: CheckedBatchItem[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(
    file: string,
    private readonly onFailure: (error: Error) => void,
  ) {
    this.worker = new Worker(file, { execArgv: WORKER_EXEC_ARGV });
    // Idle workers must not keep the process alive; one with work pending is held by the awaiting request.
    this.worker.unref();
    this.worker.on('message', (reply: WorkerMessage) => {
      if (reply === WORKER_READY) {
        this.ready = true;
        return;
      }
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('failed' in reply) waiting?.reject(new Error(reply.failed));
      else waiting?.resolve(reply.results);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`batch validation worker exited with ${code}`)));
  }

  validate(items: unknown[]): Promise<CheckedBatchItem[]> {
    if (this.failed) return Promise.reject(new Error('batch validation worker failed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ id, items } satisfies ChunkRequest);
      } catch (error) {
        this.pending.delete(id);
        reject(error as Error);
      }
    });
  }

  /** Pending chunks are then validated here; a worker stopped this way is not reported as failed. */
  async close(): Promise<void> {
    this.failed = true;
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    // An 'error' is followed by an 'exit': the first is reported.
    if (!this.failed) {
      this.failed = true;
      this.onFailure(error);
    }
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/** The compiled worker beside this file; under ts-node or ts-jest (a .ts file) it is compiled on load. */
const WORKER_FILE = join(__dirname, `batch-validation.worker${extname(__filename)}`);
const WORKER_EXEC_ARGV = extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] : [];
