import fs from 'node:fs';
import path from 'node:path';
import { TestApp, startTestApp } from '../support/test-app';

const DEMO_FILE = path.resolve(__dirname, '../../apps/api/src/demo/demo-events.ndjson');
const demoItems = (): { kind: string; companyId?: string }[] =>
  fs.readFileSync(DEMO_FILE, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));

interface LogLine {
  level: number;
  msg: string;
  demoData?: { lines: number; loaded: number; refused: unknown[]; position: number };
}

const logLines = (app: TestApp): LogLine[] =>
  app.output().split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });

const demoSummaries = (app: TestApp) => logLines(app).filter((line) => line.demoData !== undefined);

/** The log's events: the position of the last is a count on SQLite and a byte offset on EventStoreDB. */
const logEvents = async (app: TestApp): Promise<{ position: number }[]> => {
  const response = await app.http().get('/v1/audit/events').query({ limit: 1000 }).set(app.auth('auditor'));
  expect(response.body.nextPosition).toBeNull();
  return response.body.events;
};

describe('demo data set at start (SEED_DEMO)', () => {
  const items = demoItems();
  const companyIds = items.filter((item) => item.kind === 'company').map((item) => item.companyId as string).sort();
  let app: TestApp | undefined;

  afterEach(async () => {
    await app?.destroy();
    app = undefined;
  });

  it('loads every line into an empty store before the first read, once, and logs one summary', async () => {
    app = await startTestApp({ SEED_DEMO: 'true', LOG_LEVEL: 'info' });

    // The very first read: no minPosition, no retry.
    const first = await app.http().get('/v1/read-models/company-capacity').set(app.auth('analyst'));
    expect(first.status).toBe(200);
    const events = await logEvents(app);
    expect(events).toHaveLength(items.length);
    const head = events[events.length - 1].position;
    expect(first.body.position).toBe(head);
    expect(first.body.companies.map((company: { companyId: string }) => company.companyId)).toEqual(companyIds);
    expect(first.body.companies).toContainEqual(expect.objectContaining({ companyId: 'xinjie-energy', operationalGwh: 2 }));
    expect(first.body.companies).toContainEqual(expect.objectContaining({ companyId: 'luochu-technology', underConstructionGwh: 2 }));

    const summaries = demoSummaries(app);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ level: 30, demoData: { lines: items.length, loaded: items.length, refused: [], position: head } });
    expect(logLines(app).filter((line) => line.level >= 50)).toEqual([]);

    // A restart on the same data directory finds a store that is not empty and leaves it alone.
    const dataDir = app.dataDir;
    expect(await app.close()).toBe(0);
    app = await startTestApp({ SEED_DEMO: 'true', LOG_LEVEL: 'info' }, dataDir);
    const again = await app.http().get('/v1/read-models/company-capacity').query({ minPosition: head }).set(app.auth('analyst'));
    expect(again.status).toBe(200);
    expect(again.body.position).toBe(head);
    expect(await logEvents(app)).toHaveLength(items.length);
    expect(again.body.companies).toHaveLength(companyIds.length);
    expect(demoSummaries(app)).toEqual([]);
    expect(logLines(app).some((line) => line.msg.includes('demo data set not loaded'))).toBe(true);
  }, 60_000);

  it('answers the facts of the articles: tariff components, the standard, the round, milestones', async () => {
    app = await startTestApp({ SEED_DEMO: 'true' });
    const read = (url: string, query: Record<string, string> = {}) => app!.http().get(url).query(query).set(app!.auth('analyst'));

    const ev = await read('/v1/tariffs/effective', { importer: 'US', origin: 'CN', product: 'ev-battery', asOf: '2025-04-09' });
    expect(ev.body.ratePercent).toBe(82.4);
    expect((await read('/v1/tariffs/effective', { importer: 'US', origin: 'CN', product: 'ess-battery', asOf: '2025-12-31' })).body.ratePercent).toBe(57.4);
    expect((await read('/v1/tariffs/effective', { importer: 'US', origin: 'CN', product: 'ess-battery', asOf: '2026-01-01' })).body.ratePercent).toBe(82.4);
    expect((await read('/v1/tariffs/effective', { importer: 'EU', origin: 'CN', product: 'bev', asOf: '2025-01-01' })).body.ratePercent).toBe(45.3);
    expect((await read('/v1/tariffs/effective', { importer: 'EU', origin: 'CN', product: 'bev', asOf: '2029-10-31' })).body.ratePercent).toBe(10);

    const standard = await read('/v1/standards/cn-gb-ssb-ev', { asOf: '2026-01-02' });
    expect(standard.body).toMatchObject({ stage: 'public-comment' });

    const rounds = await read('/v1/financing-rounds', { companyId: 'taland-new-energy' });
    expect(JSON.stringify(rounds.body)).toContain('at-least');

    const sodium = await read('/v1/technology-routes/sodium-ion/timeline', { asOf: '2026-01-02' });
    expect(sodium.status).toBe(200);
    expect(sodium.body.firstMassProductionOn).toBe('2023-12-31');
  }, 60_000);

  it('leaves the store empty with SEED_DEMO=false', async () => {
    app = await startTestApp({ SEED_DEMO: 'false', LOG_LEVEL: 'info' });
    const response = await app.http().get('/v1/read-models/company-capacity').set(app.auth('analyst'));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ position: 0, companies: [] });
    expect(demoSummaries(app)).toEqual([]);
  }, 60_000);
});
