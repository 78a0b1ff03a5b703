import { TestApp, startTestApp } from '../support/test-app';
import { Recorded, company, read, recordAll } from './seed-facts';

/** What every read shares: auth, read-your-writes, defaults, refusals of bad queries, the OpenAPI description. */
describe('read endpoints: shared contract', () => {
  let app: TestApp;
  let written: Recorded;

  const READS = [
    '/v1/read-models/company-capacity',
    '/v1/companies/xinjie-energy/capacity',
    '/v1/companies/xinjie-energy/capacity/timeline',
    '/v1/read-models/overseas-expansion',
    '/v1/technology-routes',
    '/v1/technology-routes/lithium-metal/timeline',
    '/v1/tariffs/effective?importer=US&origin=CN&product=ev-battery',
    '/v1/standards',
    '/v1/financing-rounds',
  ];

  beforeAll(async () => {
    app = await startTestApp();
    [written] = await recordAll(app, [company('xinjie-energy', 'Xinjie Energy')]);
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it.each(READS)('%s answers every reading role and echoes both clocks', async (path) => {
    for (const role of ['analyst', 'integrator', 'auditor', 'admin'] as const) {
      const response = await app.http().get(path).set(app.auth(role));
      expect(response.status).toBe(200);
    }
    const response = await app.http().get(path).query({ minPosition: written.position }).set(app.auth('analyst'));
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toMatchObject({ asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), knownAt: expect.any(String), position: expect.any(Number) });
    expect(response.body.position).toBeGreaterThanOrEqual(written.position);
  });

  it.each(READS)('%s refuses a request without a key (401)', async (path) => {
    const response = await app.http().get(path);
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('refuses an unknown key with 401', async () => {
    expect((await app.http().get('/v1/standards').set({ Authorization: 'Bearer not-a-key-at-all-000000' })).status).toBe(401);
  });

  it('defaults asOf to today (UTC) and knownAt to the moment of the request', async () => {
    const before = Date.now();
    const response = await read(app, '/v1/read-models/company-capacity');
    expect(response.body.asOf).toBe(new Date().toISOString().slice(0, 10));
    expect(Date.parse(response.body.knownAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(response.body.knownAt)).toBeLessThanOrEqual(Date.now());
    expect(response.body.companies).toEqual([expect.objectContaining({ companyId: 'xinjie-energy' })]);
  });

  it('reads its own write: minPosition equal to the write position answers with position at least that', async () => {
    const [next] = await recordAll(app, [company('luochu-technology', 'Luochu Technology')]);
    const response = await read(app, '/v1/companies/luochu-technology/capacity', { minPosition: next.position });
    expect(response.status).toBe(200);
    expect(response.body.position).toBeGreaterThanOrEqual(next.position);
  });

  it('answers 504 when minPosition is beyond anything written, within the bound', async () => {
    const started = Date.now();
    const response = await read(app, '/v1/standards', { minPosition: written.position + 1_000_000 });
    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ status: 504, type: '/problems/projection-behind' });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);

  it.each<[string, Record<string, string>, string]>([
    ['/v1/read-models/company-capacity', { asOf: '2025-02-30' }, 'asOf'],
    ['/v1/read-models/company-capacity', { asOf: '31/12/2025' }, 'asOf'],
    ['/v1/read-models/company-capacity', { knownAt: 'yesterday' }, 'knownAt'],
    ['/v1/read-models/company-capacity', { knownAt: '2026-01-01T00:00:00' }, 'knownAt'],
    ['/v1/read-models/company-capacity', { minPosition: '-1' }, 'minPosition'],
    ['/v1/read-models/company-capacity', { minPosition: 'latest' }, 'minPosition'],
    ['/v1/read-models/company-capacity', { technologyRoute: 'Solid State' }, 'technologyRoute'],
    ['/v1/read-models/company-capacity', { country: 'China' }, 'country'],
    ['/v1/read-models/company-capacity', { headquartersCountry: 'cn' }, 'headquartersCountry'],
    ['/v1/read-models/company-capacity', { company: 'catl' }, 'company'],
    ['/v1/read-models/overseas-expansion', { headquartersCountry: 'XX' }, 'headquartersCountry'],
    ['/v1/technology-routes', { family: 'liquid' }, 'family'],
    ['/v1/technology-routes/lithium-metal/timeline', { kind: 'rumour' }, 'kind'],
    ['/v1/technology-routes/lithium-metal/timeline', { from: '2025-12-31', to: '2025-01-01' }, 'from'],
    ['/v1/companies/xinjie-energy/capacity/timeline', { interval: 'week' }, 'interval'],
    ['/v1/companies/xinjie-energy/capacity/timeline', { from: '2026-02-01', to: '2026-01-01' }, 'from'],
    ['/v1/standards', { jurisdiction: 'Europe' }, 'jurisdiction'],
    ['/v1/financing-rounds', { companyId: 'Xinjie Energy' }, 'companyId'],
    ['/v1/financing-rounds', { to: '2025-13-01' }, 'to'],
  ])('%s?%j is 400 naming %s', async (path, query, field) => {
    const response = await read(app, path, query);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, type: '/problems/validation-failed' });
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
  });

  it('refuses a malformed id in the path with 400, an unknown one with 404', async () => {
    expect((await read(app, '/v1/companies/XINJIE/capacity')).status).toBe(400);
    for (const path of ['/v1/companies/catl/capacity', '/v1/companies/catl/capacity/timeline', '/v1/technology-routes/graphene/timeline', '/v1/standards/cn-gb-ssb-ev']) {
      const response = await read(app, path);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ status: 404, type: '/problems/not-found' });
    }
  });

  it('describes every read in the OpenAPI document, with an example answer and the error statuses', async () => {
    const document = (await app.http().get('/docs-json')).body;
    const paths = {
      '/v1/read-models/company-capacity': [],
      '/v1/companies/{companyId}/capacity': ['404'],
      '/v1/companies/{companyId}/capacity/timeline': ['404'],
      '/v1/read-models/overseas-expansion': [],
      '/v1/technology-routes': [],
      '/v1/technology-routes/{routeId}/timeline': ['404'],
      '/v1/tariffs/effective': [],
      '/v1/standards': [],
      '/v1/standards/{standardId}': ['404'],
      '/v1/financing-rounds': [],
    };
    for (const [path, extra] of Object.entries(paths)) {
      const operation = document.paths[path]?.get;
      expect({ path, tags: operation?.tags }).toEqual({ path, tags: ['read'] });
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '504', ...extra]));
      expect(operation.responses['200'].content['application/json'].schema.example).toMatchObject({ asOf: expect.any(String), position: expect.any(Number) });
      expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(expect.arrayContaining(['asOf', 'knownAt', 'minPosition']));
    }
    const tariff = document.paths['/v1/tariffs/effective'].get.parameters;
    expect(tariff.filter((parameter: { required: boolean }) => parameter.required).map((parameter: { name: string }) => parameter.name).sort()).toEqual(['importer', 'origin', 'product']);
  });
});
