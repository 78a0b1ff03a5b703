import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';
import { startTestApp, TestApp } from '../support/test-app';
import { companyBody, uniqueId } from '../support/seed-bodies';
import { expectProblem, expectWritten } from '../support/write-helpers';

/** On EventStoreDB (the protocol emulator): an outage is 503 with Retry-After, and recovery needs no restart. */
let emulator: EsdbEmulator;
let app: TestApp;

const write = () => app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(uniqueId('catl')));

const eventually = async (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

beforeAll(async () => {
  emulator = await startEsdbEmulator();
  app = await startTestApp({ EVENT_STORE_URL: emulator.connectionString });
}, 60_000);

/**
 * The API's log lines with the message for one request, once at least one has come: the child's stdout is
 * a separate pipe from the HTTP socket, so a line may arrive after the answer does.
 */
const loggedLines = async (message: string, correlationId: string): Promise<Record<string, unknown>[]> => {
  const lines = () =>
    app
      .output()
      .split('\n')
      .filter((line) => line.includes(message) && line.includes(correlationId));
  await eventually(async () => lines().length > 0, 5_000);
  return lines().map((line) => JSON.parse(line) as Record<string, unknown>);
};

afterAll(async () => {
  await app?.destroy();
  await emulator?.stop();
});

describe('EventStoreDB outage and recovery', () => {
  it('runs on EventStoreDB: a write succeeds and ready is 200', async () => {
    expectWritten(await write(), undefined);
    expect(await eventually(async () => (await app.http().get('/health/ready')).status === 200, 10_000)).toBe(true);
  }, 30_000);

  it('while the store is down: ready is 503, writes are 503 with Retry-After', async () => {
    await emulator.goDown();
    expect(await eventually(async () => (await app.http().get('/health/ready')).status === 503, 10_000)).toBe(true);
    expect((await app.http().get('/health/ready')).body).toMatchObject({ status: 'unavailable', store: 'unavailable' });
    const correlationId = uniqueId('outage');
    const response = await write().set('X-Correlation-Id', correlationId);
    expectProblem(response, 503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    // The failure is logged by the exception filter, after the body was read, under the request's correlation id.
    expect(await loggedLines('request failed', correlationId)).toEqual([expect.objectContaining({ correlationId, context: 'HTTP' })]);
  }, 30_000);

  it('while the store is down: a batch answers 200 with each item 503, and the batch writes one log line for them', async () => {
    const correlationId = uniqueId('outage-batch');
    const items = [0, 1, 2].map(() => ({ kind: 'company', ...companyBody(uniqueId('catl')) }));
    const response = await app.http().post('/v1/batch').set(app.auth('integrator')).set('X-Correlation-Id', correlationId).send({ items });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ succeeded: 0, failed: 3 });
    expect((response.body as { results: { index: number; status: number; error: { status: number; instance: string } }[] }).results).toEqual(
      [0, 1, 2].map((index) => expect.objectContaining({ index, status: 503, error: expect.objectContaining({ status: 503, instance: `/v1/batch#${index}` }) })),
    );
    const lines = await loggedLines('batch items failed on our side', correlationId);
    expect(lines).toEqual([expect.objectContaining({ correlationId, context: 'HTTP', failedItems: 3, firstItems: [0, 1, 2], url: '/v1/batch', method: 'POST' })]);
    expect(lines[0].err).toBeDefined();
  }, 30_000);

  it('after it comes back: writes succeed and ready is 200 again within seconds, without a restart', async () => {
    await emulator.comeBack();
    expect(await eventually(async () => (await write()).status === 201, 15_000)).toBe(true);
    expect(await eventually(async () => (await app.http().get('/health/ready')).status === 200, 15_000)).toBe(true);
    expect(app.process.exitCode).toBeNull();
  }, 40_000);
});
