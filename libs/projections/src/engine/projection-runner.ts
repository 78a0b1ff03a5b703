import { isDomainEventType } from '@bsc/domain';
import { EventStore, StoredEvent } from '@bsc/event-store';
import { CheckpointFile, readCheckpoint, removeAbandonedTemporaries } from './checkpoint-file';
import { Signal, signal } from './in-slices';
import { PROJECTED_METADATA_KEYS, PROJECTION_VERSION, ReadModelState, apply, createState, recordTimeOf } from './read-model-state';

/** The structured logger the runner writes to (pino's shape). */
export interface ProjectionLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ProjectionRunnerOptions {
  store: EventStore;
  /** Where to keep the checkpoint; without it the runner replays the log on every start. */
  checkpointPath?: string;
  /** Also checkpoint after this many applied events (default: only on the timer and on stop). */
  checkpointEveryEvents?: number;
  /** Checkpoint at most this often while events arrive, and never sooner than ten times the last checkpoint took (default 5000 ms). */
  checkpointIntervalMs?: number;
  /** Wait before re-subscribing after the subscription itself failed (default 1000 ms). */
  resubscribeDelayMs?: number;
  logger?: ProjectionLogger;
  /**
   * Told, for each domain event appended after start, how many milliseconds passed from its record time to its
   * application: the append → read-model lag, for a metric. Events already in the log at start are not
   * lag, they are catch-up, and are not reported.
   */
  observeLag?: (milliseconds: number) => void;
}

/** An event the projection could not apply: it stops there and does not move past it. */
export interface ProjectionFailure {
  position: number;
  eventId: string;
  error: string;
}

export interface ProjectionStatus {
  running: boolean;
  /** Last applied position. */
  position: number;
  /** The store's head as last seen (refreshed on start and on each checkpoint tick). */
  headPosition?: number;
  failed?: ProjectionFailure;
}

const SILENT: ProjectionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const STOP = Symbol('stop');
const CHECKPOINT_COST_FACTOR = 10;

interface Waiter {
  position: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * Feeds the read-model state from one catch-up subscription to the global log, from the last checkpoint,
 * in global order, each event once. Queries read `state` between events (JavaScript runs them to
 * completion, so a query never sees half an event).
 *
 * @example
 *   const runner = new ProjectionRunner({ store, checkpointPath: 'data/projections.json', logger });
 *   await runner.start();
 *   if (await runner.waitForPosition(written.position, 5000)) companyCapacity(runner.state, time);
 *   await runner.stop();
 */
export class ProjectionRunner {
  private current: ReadModelState = createState();
  private running = false;
  private stopping = false;
  private failure?: ProjectionFailure;
  private head?: number;
  private loop?: Promise<void>;
  private stopSignal?: () => void;
  private readonly stopListeners = new Set<(value: typeof STOP) => void>();
  private stopped: Promise<typeof STOP> = Promise.resolve(STOP);
  private ticker?: NodeJS.Timeout;
  private waiters: Waiter[] = [];
  private appliedSinceCheckpoint = 0;
  private checkpointedPosition = 0;
  private lastCheckpointTookMs = 0;
  private lastCheckpointEndedAt = 0;
  private checkpointing: Promise<void> = Promise.resolve();
  /** A new writer per start: it writes the whole state first, then adds what changed (see `CheckpointFile`). */
  private checkpointFile?: CheckpointFile;
  /** Positions after this one were appended while the runner ran (see `observeLag`). */
  private liveAfter = Number.POSITIVE_INFINITY;
  /** Readers keeping the state still (see `hold`). */
  private holders = 0;
  /** Set while the runner waits, with events to apply, for holders to let go: `free` when the last has, `applied` once the events are in. */
  private turn?: { free: Signal; applied: Signal; waitingSince: number };
  private readonly logger: ProjectionLogger;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.logger = options.logger ?? SILENT;
  }

  /** The live state, for queries. Read-only: only the runner applies events to it. */
  get state(): Readonly<ReadModelState> {
    return this.current;
  }

  /** Loads the checkpoint (or starts empty) and subscribes; resolves once the subscription is open. */
  async start(): Promise<void> {
    if (this.running) return;
    this.current = await this.loadCheckpoint();
    this.checkpointFile = this.options.checkpointPath ? new CheckpointFile(this.options.checkpointPath) : undefined;
    this.checkpointedPosition = this.current.position;
    this.failure = undefined;
    this.stopping = false;
    this.running = true;
    this.stopped = new Promise((resolve) => (this.stopSignal = () => {
      resolve(STOP);
      for (const listener of this.stopListeners) listener(STOP);
    }));
    await this.refreshHead();
    this.liveAfter = this.head ?? this.current.position;
    this.loop = this.consume();
    const interval = this.options.checkpointIntervalMs ?? 5000;
    this.ticker = setInterval(() => void this.tick(), interval);
    this.ticker.unref();
    this.logger.info({ position: this.current.position, version: PROJECTION_VERSION }, 'projections started');
  }

  /** Ends the subscription and writes a final checkpoint. */
  async stop(): Promise<void> {
    if (!this.running && !this.loop) return;
    this.stopping = true;
    this.stopSignal?.();
    await this.loop;
    this.loop = undefined;
    clearInterval(this.ticker);
    this.running = false;
    await this.checkpoint();
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve(this.current.position >= waiter.position);
    }
    this.logger.info({ position: this.current.position }, 'projections stopped');
  }

  status(): ProjectionStatus {
    return {
      running: this.running,
      position: this.current.position,
      ...(this.head !== undefined ? { headPosition: Math.max(this.head, this.current.position) } : {}),
      ...(this.failure ? { failed: { ...this.failure } } : {}),
    };
  }

  /**
   * Resolves true once `position` is applied, false after `timeoutMs` or as soon as the projection has
   * failed at or before it. `position` is a domain event's position, as a write returns it.
   */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.current.position >= position) return Promise.resolve(true);
    if (this.failure && this.failure.position <= position) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Keeps the state as it is until the returned release is called, for a query answered in slices between
   * other work (see `finishInSlices`): events keep arriving and are applied once every holder has let go.
   * Holds overlap freely, but once the runner waits with events to apply, a new hold waits until they are
   * applied, so a steady stream of long reads cannot stall the read models.
   */
  async hold(): Promise<() => void> {
    while (this.turn) await this.turn.applied.promise;
    this.holders++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders--;
      if (this.holders === 0) this.turn?.free.fire();
    };
  }

  /**
   * How long a holder's next slice of work may be (see `finishInSlices`): `baseMs` until the runner has
   * waited `graceMs` for the holders with events to apply, then as long as it has waited beyond that, up
   * to `maxMs`. Under a heavy load the event loop gives a sliced read a small share of its time: a hold
   * that lasted its whole answer kept the read models still for 13–16 s at a million events under bulk
   * writes (2026-12-07). Growing at once cost the interactive requests too much under light writes (the
   * runner then waits during nearly every hold): a 4x lower single-company throughput, 3x the p99.
   */
  holderSliceMs(baseMs: number, graceMs: number, maxMs: number): number {
    const beyondGrace = this.turn ? performance.now() - this.turn.waitingSince - graceMs : 0;
    return Math.min(maxMs, Math.max(baseMs, beyondGrace));
  }

  private async consume(): Promise<void> {
    while (!this.stopping) {
      // A page per await: catching up on a long log costs the events, not the awaits between them.
      const subscription = this.options.store.subscribeAllPages({
        // Unfiltered on purpose: non-domain records (idempotency keys) still advance the position, so
        // waiting for the log's head or for any written position always ends. Adapters drop system events.
        fromPosition: this.current.position > 0 ? this.current.position : undefined,
        metadataKeys: PROJECTED_METADATA_KEYS,
      });
      const iterator = subscription[Symbol.asyncIterator]();
      try {
        await this.drain(iterator);
      } catch (error) {
        this.logger.error({ err: String(error), position: this.current.position }, 'projection subscription failed; resubscribing');
        await Promise.race([delay(this.options.resubscribeDelayMs ?? 1000), this.stopped]);
      } finally {
        void iterator.return?.()?.catch(() => undefined);
      }
      if (this.failure) break;
    }
    this.running = false;
  }

  /** Like Promise.race with `stopped`, but leaves no reaction on `stopped` behind once `work` settles. */
  private nextOrStop<T>(work: Promise<T>): Promise<T | typeof STOP> {
    if (this.stopping) return Promise.resolve(STOP);
    return new Promise((resolve, reject) => {
      this.stopListeners.add(resolve);
      work.then(resolve, reject).finally(() => this.stopListeners.delete(resolve));
    });
  }

  private async drain(iterator: AsyncIterator<readonly StoredEvent[]>): Promise<void> {
    for (;;) {
      const next = await this.nextOrStop(iterator.next());
      if (next === STOP || next.done) {
        if (next !== STOP) await Promise.race([delay(this.options.resubscribeDelayMs ?? 1000), this.stopped]);
        return;
      }
      if (this.holders > 0) {
        const turn = (this.turn = { free: signal(), applied: signal(), waitingSince: performance.now() });
        if ((await this.nextOrStop(turn.free.promise)) === STOP) return this.endTurn();
      }
      try {
        if (await this.applyPage(next.value)) return;
      } finally {
        this.endTurn();
      }
      this.wakeWaiters();
    }
  }

  /** Applies a page of events in order; true when the runner must stop (a failure, or stopping during a checkpoint). */
  private async applyPage(events: readonly StoredEvent[]): Promise<boolean> {
    for (const event of events) {
      if (event.position <= this.current.position) continue;
      try {
        apply(this.current, event);
      } catch (error) {
        this.failure = { position: event.position, eventId: event.eventId, error: errorMessage(error) };
        this.logger.error({ ...this.failure }, 'projection failed; stopped before this event');
        this.running = false;
        this.stopping = true;
        this.wakeWaiters();
        return true;
      }
      if (event.position > this.liveAfter && this.options.observeLag && isDomainEventType(event.type)) this.reportLag(event, this.options.observeLag);
      this.appliedSinceCheckpoint++;
      if (this.appliedSinceCheckpoint >= (this.options.checkpointEveryEvents ?? Number.POSITIVE_INFINITY)) {
        this.wakeWaiters();
        await this.checkpoint();
        if (this.stopping) return true;
      }
    }
    return false;
  }

  private endTurn(): void {
    const turn = this.turn;
    this.turn = undefined;
    turn?.applied.fire();
  }

  private reportLag(event: StoredEvent, observe: (milliseconds: number) => void): void {
    const recordedMs = Date.parse(recordTimeOf(event));
    // A record time ahead of this clock (it never goes backwards within a stream) is no lag at all.
    if (!Number.isNaN(recordedMs)) observe(Math.max(0, Date.now() - recordedMs));
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const position = this.current.position;
    this.waiters = this.waiters.filter((waiter) => {
      const reached = position >= waiter.position;
      const hopeless = this.failure !== undefined && this.failure.position <= waiter.position;
      if (!reached && !hopeless) return true;
      clearTimeout(waiter.timer);
      waiter.resolve(reached);
      return false;
    });
  }

  private async tick(): Promise<void> {
    await this.refreshHead();
    // Serialising the whole state costs more as history grows; spacing checkpoints by ten times the last
    // one's cost keeps catch-up over a long log linear instead of quadratic.
    const rested = Date.now() - this.lastCheckpointEndedAt >= CHECKPOINT_COST_FACTOR * this.lastCheckpointTookMs;
    if (this.current.position !== this.checkpointedPosition && rested) await this.checkpoint();
  }

  private async refreshHead(): Promise<void> {
    try {
      this.head = await this.options.store.headPosition();
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'could not read the store head position');
    }
  }

  private checkpoint(): Promise<void> {
    const file = this.checkpointFile;
    if (!file) return Promise.resolve();
    const path = file.path;
    this.checkpointing = this.checkpointing.then(async () => {
      if (this.current.position === this.checkpointedPosition) return;
      const position = this.current.position;
      this.appliedSinceCheckpoint = 0;
      const started = Date.now();
      try {
        const { kind, length } = await file.write(this.current);
        this.lastCheckpointTookMs = Date.now() - started;
        this.lastCheckpointEndedAt = Date.now();
        this.checkpointedPosition = position;
        this.logger.info({ position, path, kind, length, ms: this.lastCheckpointTookMs }, 'projection checkpoint written');
      } catch (error) {
        this.logger.error({ err: String(error), path }, 'projection checkpoint failed');
      }
    });
    return this.checkpointing;
  }

  private async loadCheckpoint(): Promise<ReadModelState> {
    const path = this.options.checkpointPath;
    if (!path) return createState();
    const abandoned = await removeAbandonedTemporaries(path);
    if (abandoned.length > 0) this.logger.warn({ removed: abandoned }, 'removed checkpoint temporaries left by writers that died mid-write');
    const loaded = await readCheckpoint(path);
    if ('state' in loaded) {
      this.logger.info({ position: loaded.state.position, path }, 'projection checkpoint loaded');
      return loaded.state;
    }
    if (loaded.reason === 'version') {
      this.logger.warn({ path, found: loaded.found, expected: PROJECTION_VERSION }, 'projection checkpoint of another version discarded; rebuilding');
    } else if (loaded.reason === 'unreadable') {
      this.logger.warn({ path, error: loaded.error }, 'projection checkpoint unreadable; rebuilding');
    }
    return createState();
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
