import { startTestApp, TestApp } from '../support/test-app';
import { companyBody, uniqueId } from '../support/seed-bodies';
import { expectWritten } from '../support/write-helpers';

/** Health, documentation and shutdown of a healthy app. */
let app: TestApp;

const CONTRACT_WRITE_PATHS = [
  '/v1/companies',
  '/v1/plants/capacity-announcements',
  '/v1/plants/{plantId}/construction-starts',
  '/v1/plants/{plantId}/commissionings',
  '/v1/plants/{plantId}/capacity-revisions',
  '/v1/plants/{plantId}/suspensions',
  '/v1/plants/{plantId}/resumptions',
  '/v1/plants/{plantId}/cancellations',
  '/v1/financing-rounds',
  '/v1/standards',
  '/v1/standards/{standardId}/stages',
  '/v1/tariff-measures',
  '/v1/tariff-measures/{measureId}/rate-changes',
  '/v1/tariff-measures/{measureId}/revocations',
  '/v1/technology-milestones',
  '/v1/corrections',
  '/v1/retractions',
  '/v1/batch',
];

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

describe('operations on a healthy app', () => {
  it('GET /health/live is 200 without a key', async () => {
    const response = await app.http().get('/health/live');
    expect(response.status).toBe(200);
  });

  it('GET /health/ready is 200 without a key, also after a write', async () => {
    expect((await app.http().get('/health/ready')).status).toBe(200);
    const written = expectWritten(await app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(uniqueId('catl'))));
    let response = await app.http().get('/health/ready');
    for (let attempt = 0; attempt < 50 && response.body.projections?.lag !== 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await app.http().get('/health/ready');
    }
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', store: 'ok', projections: { running: true, position: written.position, headPosition: written.position, lag: 0, lagMs: 0 } });
  });

  it('GET /docs serves the Swagger UI as HTML without a key', async () => {
    const response = await app.http().get('/docs').redirects(2);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toMatch(/swagger/i);
  });

  it('GET /docs-json lists every write path of the contract as POST, with a request example', async () => {
    const response = await app.http().get('/docs-json');
    expect(response.status).toBe(200);
    const document = response.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { example?: unknown; examples?: unknown; schema?: { example?: unknown } }> } }>> };
    expect(document.openapi).toMatch(/^3\./);
    const missing = CONTRACT_WRITE_PATHS.filter((path) => document.paths[path]?.post === undefined);
    expect(missing).toEqual([]);
    const withoutExample = CONTRACT_WRITE_PATHS.filter((path) => {
      const content = document.paths[path].post.requestBody?.content?.['application/json'];
      return !content || (content.example === undefined && content.examples === undefined && content.schema?.example === undefined);
    });
    expect(withoutExample).toEqual([]);
  });

  it('SIGTERM makes the process exit with code 0', async () => {
    const code = await app.close();
    expect({ code, signal: app.process.signalCode }).toEqual({ code: 0, signal: null });
  }, 30_000);
});
