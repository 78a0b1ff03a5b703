import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { companyBody, uniqueId } from '../support/seed-bodies';
import { expectWritten } from '../support/write-helpers';

/** Logs at debug level: JSON on every line, the caller's correlation id on request lines, never a key. */
const UNKNOWN_KEY = 'not-a-configured-key-0123456789';
let app: TestApp;

interface LogLine {
  correlationId?: string;
  msg?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  [field: string]: unknown;
}

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'debug', RATE_LIMIT_PER_MINUTE: '0' });
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

it('writes JSON lines, request-scoped ones with the X-Correlation-Id sent, and no API key anywhere', async () => {
  const sent: Record<string, string> = {};
  const correlation = (name: string) => (sent[name] = `logs-${name}-${uniqueId('c')}`);

  const companyId = uniqueId('logs-co');
  expectWritten(
    await app
      .http()
      .post('/v1/companies')
      .set(app.auth('integrator'))
      .set({ 'X-Correlation-Id': correlation('write'), 'Idempotency-Key': `logs-${companyId}` })
      .send(companyBody(companyId)),
  );
  const read = await app.http().get(`/v1/companies/${companyId}/capacity`).set(app.auth('admin')).set('X-Correlation-Id', correlation('read'));
  expect(read.status).toBe(200);
  const invalid = await app.http().post('/v1/companies').set(app.auth('integrator')).set('X-Correlation-Id', correlation('invalid')).send({ companyId: 'X' });
  expect(invalid.status).toBe(400);
  const unknown = await app.http().get('/v1/read-models/company-capacity').set({ Authorization: `Bearer ${UNKNOWN_KEY}`, 'X-Correlation-Id': correlation('unknown-key') });
  expect(unknown.status).toBe(401);
  const probeId = `logs-probe-${uniqueId('c')}`;
  expect((await app.http().get('/health/live').set('X-Correlation-Id', probeId)).status).toBe(200);

  expect(await app.close()).toBe(0);
  const lines = app.output().split('\n').filter((line) => line.trim() !== '');
  expect(lines.length).toBeGreaterThan(10);

  const parsed = lines.map((line, index) => {
    try {
      return JSON.parse(line) as LogLine;
    } catch {
      throw new Error(`log line ${index + 1} is not JSON: ${line}`);
    }
  });

  for (const [name, id] of Object.entries(sent)) {
    const mentioning = parsed.filter((line) => JSON.stringify(line).includes(id));
    expect({ name, lines: mentioning.length > 0 }).toEqual({ name, lines: true });
    for (const line of mentioning) expect({ name, correlationId: line.correlationId }).toEqual({ name, correlationId: id });
  }
  const requestLines = parsed.filter((line) => line.req !== undefined);
  expect(requestLines.length).toBeGreaterThanOrEqual(Object.keys(sent).length);
  for (const line of requestLines) expect(typeof line.correlationId).toBe('string');

  // One line per answered request, saying what was asked and how it ended; probes are left out.
  const completed = (name: string) => parsed.filter((line) => line.correlationId === sent[name] && line.msg === 'request completed');
  expect(completed('write')).toEqual([expect.objectContaining({ req: { method: 'POST', url: '/v1/companies' }, res: { statusCode: 201 }, responseTime: expect.any(Number) })]);
  expect(completed('invalid')).toEqual([expect.objectContaining({ res: { statusCode: 400 } })]);
  expect(completed('unknown-key')).toEqual([expect.objectContaining({ req: { method: 'GET', url: '/v1/read-models/company-capacity' }, res: { statusCode: 401 } })]);
  expect(lines.filter((line) => line.includes(probeId))).toEqual([]);

  const secrets = [...Object.values(TEST_KEYS), UNKNOWN_KEY];
  const leaks = lines.filter((line) => secrets.some((secret) => line.includes(secret)));
  expect(leaks).toEqual([]);
}, 60_000);
