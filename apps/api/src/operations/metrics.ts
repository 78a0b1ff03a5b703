import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Requests that matched no route share one label, so scanners probing random URLs add no series. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Latency buckets in seconds: reads answer in milliseconds, batches of 10 000 items take seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Append → read-model lag in seconds: a live write is applied within milliseconds, catching up takes
 * longer. Fine steps up to 100 ms, where an objective for read-after-write would sit.
 */
const APPLY_LAG_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ProjectionSnapshot {
  position: number;
  /** Undefined when the store could not tell its head. */
  headPosition?: number;
}

/**
 * Every Prometheus series the API exposes, on a registry of its own: two apps in one process (tests, the
 * CLI) never share or double-register counters, and `/metrics` shows exactly this app.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  /**
   * The duration histogram's counts, copied at scrape time: each observation hashes its labels, a few µs
   * on every request, so a request is observed once and both series come from it.
   */
  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
    collect: async () => {
      const { values } = await this.httpDuration.get();
      this.httpRequests.reset();
      for (const { metricName, labels, value } of values) {
        if (metricName === 'http_request_duration_seconds_count') this.httpRequests.inc(labels, value);
      }
    },
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending the answer, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly eventsAppended = new Counter({
    name: 'events_appended_total',
    help: 'Events durably appended to the event store, by event type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  private readonly storeErrors = new Counter({
    name: 'event_store_errors_total',
    help: 'Event store calls that failed, by operation and error class.',
    labelNames: ['operation', 'error'] as const,
    registers: [this.registry],
  });

  private readonly projectionPosition = new Gauge({
    name: 'projection_position',
    help: 'Last log position applied by the read-model projections.',
    registers: [this.registry],
  });

  private readonly storeHead = new Gauge({
    name: 'store_head_position',
    help: 'Highest position in the event store.',
    registers: [this.registry],
  });

  private readonly projectionLag = new Gauge({
    name: 'projection_lag',
    help: 'Log positions the projections trail the store head by.',
    registers: [this.registry],
  });

  private readonly projectionApplyLag = new Histogram({
    name: 'projection_apply_lag_seconds',
    help: 'Time from an event\'s record time (taken before its append commits) to its application to the read models, for events appended since start.',
    buckets: APPLY_LAG_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route: route ?? UNMATCHED_ROUTE, status: String(status) }, seconds);
  }

  eventsAppendedOf(types: readonly string[]): void {
    for (const type of types) this.eventsAppended.inc({ type });
  }

  storeError(operation: string, error: unknown): void {
    this.storeErrors.inc({ operation, error: error instanceof Error ? error.name : 'unknown' });
  }

  /** Set at scrape time, so the gauges show the moment of the scrape and not of the last request. */
  observeProjections({ position, headPosition }: ProjectionSnapshot): void {
    this.projectionPosition.set(position);
    if (headPosition === undefined) return;
    this.storeHead.set(headPosition);
    this.projectionLag.set(Math.max(0, headPosition - position));
  }

  projectionApplied(lagMilliseconds: number): void {
    this.projectionApplyLag.observe(lagMilliseconds / 1000);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
