import { HttpStatus, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import path from 'node:path';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import {
  ProjectionRunner,
  ProjectionStatus,
  ReadModelState,
  SlicedBuild,
  Steps,
  finishInSlices,
  indexRoutesInBackground,
  locateEvent,
  locateEventsInBackground,
} from '@bsc/projections';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ProblemException } from '../http/problem';
import { EventLocator } from '../ingest/fact-recorder';
import { ApiMetrics } from '../operations/metrics';

export const CHECKPOINT_FILE = 'projections.checkpoint.json';
/**
 * A held answer's slices grow once events have waited this long for it (a warm full list takes ~1.1 s at
 * a million events), up to the longest slice (see `ProjectionRunner.holderSliceMs`).
 */
const HELD_SLICE_GRACE_MS = 2000;
const MAX_HELD_SLICE_MS = 250;

/**
 * The process's one projection runner: started after the application is wired, stopped (with a final
 * checkpoint) on shutdown. Queries read its state; writers use it to find the stream of an event id.
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, EventLocator {
  private readonly runner: ProjectionRunner;
  private started?: Promise<void>;
  private routeIndexBuild?: SlicedBuild;
  private locatorBuild?: SlicedBuild;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    metrics: ApiMetrics,
  ) {
    this.logger.setContext('Projections');
    const memoryOnly = config.eventStoreUrl === 'memory:';
    this.runner = new ProjectionRunner({
      store,
      checkpointPath: memoryOnly ? undefined : path.join(config.dataDir, CHECKPOINT_FILE),
      checkpointIntervalMs: config.checkpointIntervalMs,
      logger: { info: (o, m) => this.logger.info(o, m), warn: (o, m) => this.logger.warn(o, m), error: (o, m) => this.logger.error(o, m) },
      observeLag: (milliseconds) => metrics.projectionApplied(milliseconds),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.ensureStarted();
  }

  /**
   * Starts the runner and the background builds of the route index and the event locator once, whoever
   * asks first: Nest's bootstrap, or the demo loader, which needs projections running before its own
   * bootstrap hook ends.
   */
  ensureStarted(): Promise<void> {
    this.started ??= this.runner.start().then(() => {
      // In slices between requests, so no request waits seconds for either at once (see `routeIndexReady`;
      // a lookup by event id before the locator is done builds it then).
      this.routeIndexBuild = indexRoutesInBackground(this.runner.state);
      this.locatorBuild = locateEventsInBackground(this.runner.state);
    });
    return this.started;
  }

  /**
   * Route queries wait (bounded) for the route index: without it each one walks every stream of the route
   * and holds the event loop for everyone (over a second at a million events). After the wait they answer
   * without it, still correctly.
   */
  async routeIndexReady(): Promise<void> {
    const build = this.routeIndexBuild;
    if (!build) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.config.readYourWritesTimeoutMs)));
    await Promise.race([build.done, timeout]);
    clearTimeout(timer);
  }

  /** Stops the subscription and writes a final checkpoint; the shutdown sequence calls it once requests are done. */
  async stop(): Promise<void> {
    this.routeIndexBuild?.stop();
    this.locatorBuild?.stop();
    await this.runner.stop();
  }

  status(): ProjectionStatus {
    return this.runner.status();
  }

  get state(): Readonly<ReadModelState> {
    return this.runner.state;
  }

  /** Read-your-writes: waits (bounded) until projections reflect `minPosition`, else 504. */
  async stateAtLeast(minPosition: number | undefined): Promise<Readonly<ReadModelState>> {
    if (minPosition !== undefined && this.runner.state.position < minPosition) {
      const reached = await this.runner.waitForPosition(minPosition, this.config.readYourWritesTimeoutMs);
      if (!reached) {
        throw new ProblemException(
          HttpStatus.GATEWAY_TIMEOUT,
          'projection-behind',
          'Read models not caught up',
          `Read models reached position ${this.runner.state.position}, not ${minPosition}, within ${this.config.readYourWritesTimeoutMs} ms; retry.`,
        );
      }
    }
    return this.runner.state;
  }

  /**
   * Answers a query over every company (or the like) in slices of `sliceMs`, so other requests are
   * answered meanwhile instead of waiting the whole computation out (most of a second at a million
   * events). The state is held still until the answer is complete (`ProjectionRunner.hold`): it is the
   * state of one position, as if computed at once; events written meanwhile are applied right after.
   * Once they have waited two seconds, the slices grow, so a busy event loop cannot stretch the hold out.
   */
  async answerInSlices<T>(minPosition: number | undefined, steps: (state: Readonly<ReadModelState>) => Steps<T>, sliceMs: number): Promise<T> {
    const state = await this.stateAtLeast(minPosition);
    const release = await this.runner.hold();
    try {
      return await finishInSlices(steps(state), () => this.runner.holderSliceMs(sliceMs, HELD_SLICE_GRACE_MS, MAX_HELD_SLICE_MS));
    } finally {
      release();
    }
  }

  /** Finds an event's stream, waiting for projections to catch up with the log when it is not known yet. */
  async locate(eventId: string): Promise<{ streamId: string; type: string } | undefined> {
    const known = locateEvent(this.runner.state, eventId);
    if (known) return known;
    const head = await this.store.headPosition();
    if (head > this.runner.state.position) await this.runner.waitForPosition(head, this.config.readYourWritesTimeoutMs);
    return locateEvent(this.runner.state, eventId);
  }
}
