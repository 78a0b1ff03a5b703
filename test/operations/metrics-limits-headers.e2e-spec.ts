import { startTestApp, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody, uniqueId } from '../support/seed-bodies';
import { expectProblem, expectWritten } from '../support/write-helpers';

/** /metrics, the per-key rate limit and the security headers of the running app. */
const LIMIT = 15;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

const scrape = async (): Promise<string> => {
  const response = await app.http().get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text;
};

/** The value of one series, matched on its exact label set. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('counts requests by route template, appended events by type, and reports projection position and lag', async () => {
    const companyId = uniqueId('metrics-co');
    const plantId = uniqueId('metrics-plant');
    expectWritten(await app.http().post('/v1/companies').set(app.auth('admin')).send(companyBody(companyId)));
    expectWritten(await app.http().post('/v1/plants/capacity-announcements').set(app.auth('admin')).send(announcementBody(plantId, companyId)));
    const commissioned = expectWritten(await app.http().post(`/v1/plants/${plantId}/commissionings`).set(app.auth('admin')).send(commissioningBody()));
    const batch = await app
      .http()
      .post('/v1/batch')
      .set(app.auth('admin'))
      .send({ items: [{ kind: 'company', ...companyBody(uniqueId('metrics-batch')) }, { kind: 'company', ...companyBody(uniqueId('metrics-batch')) }] });
    expect(batch.status).toBe(200);
    const read = await app.http().get(`/v1/companies/${companyId}/capacity`).query({ minPosition: commissioned.position + 2 }).set(app.auth('admin'));
    expect(read.status).toBe(200);
    expect((await app.http().get('/v1/companies/no-such-company/capacity').set(app.auth('admin'))).status).toBe(404);

    const text = await scrape();
    expect(sample(text, 'http_requests_total{method="POST",route="/v1/plants/:plantId/commissionings",status="201"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="GET",route="/v1/companies/:companyId/capacity",status="404"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="POST",route="/v1/batch",status="200"}')).toBe(1);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/v1\/companies",status="201"\} \d+$/m);
    // Ids in URLs must never become label values: that is an unbounded number of series.
    expect(text).not.toContain(plantId);
    expect(text).not.toContain('no-such-company');

    expect(sample(text, 'events_appended_total{type="CompanyRegistered"}')).toBe(3);
    expect(sample(text, 'events_appended_total{type="PlantCommissioned"}')).toBe(1);
    const position = sample(text, 'projection_position');
    const head = sample(text, 'store_head_position');
    expect(head).toBeGreaterThanOrEqual(commissioned.position + 2);
    expect(position).toBe(head);
    expect(sample(text, 'projection_lag')).toBe(0);
    // Every domain event written since start (3 companies, an announcement, a commissioning) was applied,
    // each within the read-your-writes wait the reads above allowed.
    expect(sample(text, 'projection_apply_lag_seconds_count')).toBe(5);
    expect(sample(text, 'projection_apply_lag_seconds_bucket{le="10"}')).toBe(5);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^# TYPE event_store_errors_total counter$/m);
  });

  it('does not record unmatched URLs one by one', async () => {
    for (const path of ['/no/such/route/1', '/no/such/route/2']) expect((await app.http().get(path)).status).toBe(404);
    const text = await scrape();
    expect(sample(text, 'http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBe(2);
    expect(text).not.toContain('/no/such/route');
    // The counter is the duration histogram's count copied at each scrape: a second scrape does not add to it.
    expect(sample(await scrape(), 'http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBe(2);
  });

  it('is described in the OpenAPI document as text/plain', async () => {
    const document = (await app.http().get('/docs-json')).body as { paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }> };
    expect(Object.keys(document.paths['/metrics']?.get?.responses['200']?.content ?? {})).toEqual(['text/plain']);
  });
});

describe('security headers', () => {
  const expectHardened = (headers: Record<string, string>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("object-src 'none'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  };

  it('are on API answers, problems included', async () => {
    expectHardened((await app.http().get('/health/live')).headers as Record<string, string>);
    expectHardened((await app.http().get('/v1/read-models/company-capacity')).headers as Record<string, string>);
  });

  it('are on 404s and on the router\'s own refusals (a malformed URL), with the correlation id', async () => {
    const answers = [await app.http().get('/no-such-route').set('X-Correlation-Id', 'not-found-1'), await app.http().get('/v1/companies/%E0%A4').set('X-Correlation-Id', 'bad-url-1')];
    expect(answers.map(({ status, headers }) => ({ status, correlationId: headers['x-correlation-id'], type: headers['content-type'] }))).toEqual([
      { status: 404, correlationId: 'not-found-1', type: expect.stringMatching(/^application\/problem\+json/) },
      { status: 400, correlationId: 'bad-url-1', type: expect.stringMatching(/^application\/problem\+json/) },
    ]);
    for (const { headers } of answers) expectHardened(headers as Record<string, string>);
  });

  it('keep Swagger UI working: every script and stylesheet of /docs is ours, loads, and no script is inline', async () => {
    const page = await app.http().get('/docs');
    expect(page.status).toBe(200);
    expectHardened(page.headers as Record<string, string>);
    const html = page.text;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    const assets = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"]+)"/gi)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset, `${app.url}/docs`);
      const response = await app.http().get(url.pathname);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      if (/\.js$/.test(url.pathname)) expect(response.headers['content-type']).toMatch(/javascript/);
      if (/\.css$/.test(url.pathname)) expect(response.headers['content-type']).toMatch(/text\/css/);
    }
    const init = await app.http().get('/docs/swagger-ui-init.js');
    expect(init.text).toContain('/v1/companies');
  });
});

describe('rate limit', () => {
  it(`answers 429 problem details with Retry-After after ${LIMIT} requests a minute for one key, and only for that key`, async () => {
    const read = () => app.http().get('/v1/tariffs/effective').query({ importer: 'EU', origin: 'CN', product: 'bev' }).set(app.auth('analyst'));
    const first = await read();
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe(String(LIMIT));
    for (let index = 1; index < LIMIT; index += 1) expect((await read()).status).toBe(200);

    const refused = await read();
    const problem = expectProblem(refused, 429);
    expect(problem.type).toBe('/problems/rate-limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['x-correlation-id']).toBeDefined();

    const otherKey = await app.http().get('/v1/tariffs/effective').query({ importer: 'EU', origin: 'CN', product: 'bev' }).set(app.auth('auditor'));
    expect(otherKey.status).toBe(200);
  });

  it('counts made-up keys against the sender, not a fresh bucket per key', async () => {
    // Earlier anonymous requests of this file share the bucket, so the refusal may come sooner, never later.
    const statuses: number[] = [];
    for (let index = 0; index <= LIMIT && !statuses.includes(429); index += 1) {
      const response = await app.http().get('/v1/read-models/company-capacity').set({ Authorization: `Bearer made-up-key-${index}-0123456789` });
      statuses.push(response.status);
    }
    expect(statuses[statuses.length - 1]).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
  });

  it('exempts /health/* and /metrics', async () => {
    for (let index = 0; index < LIMIT + 5; index += 1) {
      expect((await app.http().get('/health/live')).status).toBe(200);
      expect((await app.http().get('/metrics')).status).toBe(200);
    }
  });
});
