import http from 'node:http';
import { startTestApp, TestApp } from '../support/test-app';
import { companyBody, uniqueId } from '../support/seed-bodies';
import { expectWritten } from '../support/write-helpers';

/**
 * SIGTERM during a long request: the request still gets its normal answer, the listener is gone afterwards,
 * the process exits 0, and a restart on the same data directory resumes from the checkpoint with every
 * acknowledged write in place.
 */
const BATCH_SIZE = 800;

interface LogLine {
  msg?: string;
  position?: number;
}

const logLines = (output: string): LogLine[] =>
  output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LogLine);

/** A request on a fresh connection (no keep-alive pool), so "refused" means the listener is closed. */
const freshConnection = (url: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const request = http.get(`${url}/health/live`, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });

const headPosition = async (app: TestApp): Promise<number> => {
  const body = (await app.http().get('/health/ready')).body as { projections: { headPosition?: number } };
  return body.projections.headPosition ?? 0;
};

let first: TestApp | undefined;
let second: TestApp | undefined;

afterAll(async () => {
  await first?.kill();
  await second?.destroy();
});

it('finishes the in-flight batch, refuses new connections, exits 0 and restarts from the checkpoint with every acknowledged write', async () => {
  first = await startTestApp({ LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0' });
  const app = first;
  const prefix = uniqueId('shutdown');
  const single = expectWritten(await app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(`${prefix}-single`)));
  const before = await headPosition(app);
  expect(before).toBeGreaterThanOrEqual(single.position);

  const items = Array.from({ length: BATCH_SIZE }, (_, index) => ({ kind: 'company', ...companyBody(`${prefix}-${index}`) }));
  const inFlight = fetch(`${app.url}/v1/batch`, {
    method: 'POST',
    headers: { ...app.auth('integrator'), 'Content-Type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  // SIGTERM only once the batch is visibly being written: the log head has moved past the seed write.
  for (let attempt = 0; (await headPosition(app)) === before; attempt += 1) {
    if (attempt > 200) throw new Error('the batch never started writing');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const exitCode = app.close();

  const response = await inFlight;
  const body = (await response.json()) as { results: { status: number; position?: number; streamId?: string }[] };
  expect(response.status).toBe(200);
  expect(body.results).toHaveLength(BATCH_SIZE);
  expect(body.results.filter((result) => result.status !== 201)).toEqual([]);

  await expect(freshConnection(app.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  const code = await exitCode;
  if (code !== 0) throw new Error(`exit ${code}:\n${app.output().split('\n').slice(-10).join('\n')}`);
  expect(app.process.signalCode).toBeNull();

  const stoppedAt = logLines(app.output()).find((line) => line.msg === 'projections stopped')?.position;
  expect(stoppedAt).toBeGreaterThanOrEqual(single.position);

  second = await startTestApp({ LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '0' }, app.dataDir);
  const restarted = second;
  const loaded = logLines(restarted.output()).find((line) => line.msg === 'projection checkpoint loaded');
  expect(loaded?.position).toBe(stoppedAt);

  const lastPosition = Math.max(...body.results.map((result) => result.position ?? 0));
  expect(await headPosition(restarted)).toBe(lastPosition);
  const acknowledged = [`${prefix}-single`, ...items.map((item) => item.companyId)];
  const missing: string[] = [];
  for (const companyId of acknowledged) {
    const read = await restarted.http().get(`/v1/companies/${companyId}/capacity`).query({ minPosition: lastPosition }).set(restarted.auth('analyst'));
    if (read.status !== 200) missing.push(`${companyId}: ${read.status}`);
  }
  expect(missing).toEqual([]);
}, 120_000);
