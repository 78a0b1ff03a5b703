import path from 'node:path';
import { TestApp, startTestApp } from '../support/test-app';
import { runCli, seedItems, tempDir, writeNdjson } from './run-cli';

const SLOW = 180_000;

/**
 * A replay answers from the raw log alone; on the same log it must give exactly what the running API
 * answers from its live projection, for the same asOf and knownAt.
 */
describe('cli replay against the API', () => {
  const dir = tempDir();
  const storeUrl = `sqlite:${path.join(dir, 'events.db')}`;
  let app: TestApp;
  let knownAt: string;

  beforeAll(async () => {
    const input = path.join(dir, 'seed.ndjson');
    writeNdjson(input, seedItems('replayed'));
    const imported = await runCli(['import', '--store', storeUrl, '--file', input]);
    if (imported.code !== 0) throw new Error(`seed import failed (${imported.code}): ${imported.stderr}`);
    knownAt = new Date().toISOString();
    app = await startTestApp({ EVENT_STORE_URL: storeUrl }, dir);
  }, SLOW);

  afterAll(async () => {
    await app?.destroy();
  }, 30_000);

  it('gives the API\'s answer for company capacity, all companies and one, at the same asOf and knownAt', async () => {
    const asOf = '2025-12-31';
    const [all, one, apiAll, apiOne] = await Promise.all([
      runCli(['replay', 'company-capacity', '--store', storeUrl, '--as-of', asOf, '--known-at', knownAt]),
      runCli(['replay', 'company', '--store', storeUrl, '--as-of', asOf, '--known-at', knownAt, '--param', 'companyId=xinjie-energy-replayed']),
      app.http().get('/v1/read-models/company-capacity').query({ asOf, knownAt }).set(app.auth('analyst')),
      app.http().get('/v1/companies/xinjie-energy-replayed/capacity').query({ asOf, knownAt }).set(app.auth('analyst')),
    ]);
    expect([apiAll.status, apiOne.status]).toEqual([200, 200]);
    expect(all.code).toBe(0);
    expect(one.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual(apiAll.body);
    expect(JSON.parse(one.stdout)).toEqual(apiOne.body);
    expect(apiOne.body).toMatchObject({ companyId: 'xinjie-energy-replayed', operationalGwh: 2 });
  }, SLOW);
});
