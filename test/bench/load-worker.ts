import autocannon from 'autocannon';

/**
 * Runs autocannon in its own process (forked by the runner), so the load generator never competes with
 * the measured server for one event loop. Bodies are made per request: a write benchmark with one fixed
 * body would measure 409s, not writes.
 */
export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Rotated through, one per request. */
  paths: string[];
  body: 'none' | 'company' | 'company-batch' | 'fixed';
  fixedBody?: string;
  batchSize?: number;
  tag: string;
  /** Send back every successful answer's latency (ms), for percentiles over several loads together. */
  keepLatencies?: boolean;
}

export interface LoadResult {
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  latencies?: number[];
}

const company = (id: string) => ({
  companyId: id,
  name: `Bench ${id}`,
  headquartersCountry: 'CN',
  aliases: [],
  segments: ['ev'],
  source: { publisher: 'Bench', publishedOn: '2026-01-02' },
});

const run = (spec: LoadSpec): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    let counter = 0;
    const next = (): string => `${spec.tag}-${process.pid}-${(counter += 1)}`;
    const bodyFor = (): string | undefined => {
      if (spec.body === 'company') return JSON.stringify(company(next()));
      if (spec.body === 'company-batch') return JSON.stringify({ items: Array.from({ length: spec.batchSize ?? 1000 }, () => ({ kind: 'company', ...company(next()) })) });
      if (spec.body === 'fixed') return spec.fixedBody;
      return undefined;
    };
    let pathIndex = 0;
    // autocannon's own percentiles are whole milliseconds (an integer histogram): a 1.6 ms and a 2.4 ms p50
    // both read 2. Its per-response event carries the exact time, so the percentiles come from that.
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationSeconds,
        timeout: 30,
        requests: [
          {
            method: spec.method,
            headers: spec.headers,
            setupRequest: (request) => {
              const path = spec.paths[pathIndex++ % spec.paths.length];
              const body = bodyFor();
              return { ...request, path, ...(body === undefined ? {} : { body }) };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        const percentile = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2));
        resolve({
          requestsPerSecond: result.requests.average,
          latencyP50: percentile(50),
          latencyP99: percentile(99),
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          durationSeconds: result.duration,
          ...(spec.keepLatencies ? { latencies } : {}),
        });
      },
    );
    // Like autocannon's own latency figures: successful (2xx) answers only.
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
  );
});
