import { SOURCE, TestApp, startTestApp } from '../support/test-app';

/** Found by the hostile-input fuzzer: deep nesting reached recursive validators and hashing (500). */
describe('bodies nested far deeper than any request', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  // Written as text: JSON.stringify itself runs out of stack on objects this deep.
  const nested = (depth: number): string => `${'{"a":'.repeat(depth)}{"leaf":1}${'}'.repeat(depth)}`;
  const source = JSON.stringify(SOURCE);

  const headPosition = async (): Promise<number> => {
    const response = await app.http().get('/v1/audit/events').query({ limit: 1000 }).set(app.auth('auditor'));
    const events = response.body.events as { position: number }[];
    return events.length === 0 ? 0 : events[events.length - 1].position;
  };

  it.each([
    ['POST /v1/companies', '/v1/companies', () => `{"companyId":"deep-co","name":"Deep","headquartersCountry":"CN","source":${source},"extra":${nested(5000)}}`],
    ['POST /v1/corrections', '/v1/corrections', () => `{"eventId":"0f8fad5b-d9cb-469f-a165-70867728950e","changes":${nested(5000)},"reason":"r","source":${source}}`],
    ['POST /v1/audit/anchors/verify', '/v1/audit/anchors/verify', () => `{"position":0,"digest":${nested(5000)}}`],
  ])('%s answers 400 naming the field', async (_name, path, body) => {
    const before = await headPosition();
    const response = await app.http().post(path).set(app.auth('admin')).set('Content-Type', 'application/json').send(body());
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors[0].message).toMatch(/nests deeper than 32 levels/);
    expect(await headPosition()).toBe(before);
  });

  it.each([
    ['without', undefined],
    ['with', 'deep-batch-1'],
  ])('a batch %s an Idempotency-Key answers 400 and writes nothing', async (_with, key) => {
    const before = await headPosition();
    const request = app.http().post('/v1/batch').set(app.auth('integrator'));
    if (key) request.set('Idempotency-Key', key);
    const response = await request
      .set('Content-Type', 'application/json')
      .send(`{"items":[{"kind":"company","companyId":"deep-batch-co","name":"D","headquartersCountry":"CN","source":${source}},${nested(5000)}]}`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toMatch(/^items\[1\]\.a\.a/);
    expect(await headPosition()).toBe(before);
  });
});
