import http from 'node:http';
import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';
import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { companyBody, uniqueId } from '../support/seed-bodies';
import { expectWritten } from '../support/write-helpers';

/** The audit log's pages on EventStoreDB (the protocol emulator), where positions are byte offsets, not counts. */
let emulator: EsdbEmulator;
let app: TestApp;

interface AuditPage {
  events: { eventId: string; position: number }[];
  nextPosition: number | null;
}

const page = async (query: string): Promise<AuditPage> => {
  const response = await app.http().get(`/v1/audit/events?${query}`).set(app.auth('auditor'));
  expect(response.status).toBe(200);
  return response.body as AuditPage;
};

beforeAll(async () => {
  emulator = await startEsdbEmulator();
  app = await startTestApp({ EVENT_STORE_URL: emulator.connectionString });
  for (let i = 0; i < 3; i++) expectWritten(await app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(uniqueId('catl'))), undefined);
}, 60_000);

afterAll(async () => {
  await app?.destroy();
  await emulator?.stop();
}, 30_000);

describe('audit pages on EventStoreDB', () => {
  it('start at the start of the log and follow nextPosition to its end, each event once', async () => {
    // A read from a position inside a record fails on EventStoreDB: pages start at 0 or an event's position.
    const whole = await page('limit=1000');
    expect(whole.events).toHaveLength(3);
    expect(whole.nextPosition).toBeNull();

    const seen: string[] = [];
    let query = 'limit=1';
    for (let pages = 0; pages < 10; pages++) {
      const { events, nextPosition } = await page(query);
      seen.push(...events.map((event) => event.eventId));
      if (nextPosition === null) break;
      expect(whole.events.map((event) => event.position)).toContain(nextPosition);
      query = `limit=1&fromPosition=${nextPosition}`;
    }
    expect(seen).toEqual(whole.events.map((event) => event.eventId));
  });

  // A client may hold a position from elsewhere, or compute one: the server's refusal used to pass for an
  // outage (503 store-unavailable with Retry-After, so clients retried forever) on the page, and on the live
  // feed ended the already-started stream as "event store unavailable".
  it('refuse a start where no event starts with 400 position-not-in-log, on the page and the live feed alike', async () => {
    const [first] = (await page('limit=1')).events;
    const inside = first.position + 1;

    const refusals = [
      await app.http().get(`/v1/audit/events?fromPosition=${inside}`).set(app.auth('auditor')),
      await app.http().get('/v1/audit/live').set(app.auth('auditor')).set('Last-Event-ID', String(inside)),
      await app.http().get(`/v1/audit/live?lastEventId=${inside}`).set(app.auth('auditor')),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: '/problems/position-not-in-log', status: 400, position: inside });
    }
    expect((await page(`fromPosition=${first.position}&limit=1`)).events[0].eventId).toBe(first.eventId);
  });

  it('let the live feed resume after an event position it gave', async () => {
    const [first] = (await page('limit=1')).events;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = http.get(`${app.url}/v1/audit/live`, { headers: { Authorization: `Bearer ${TEST_KEYS.auditor}`, 'Last-Event-ID': String(first.position) } }, (response) => {
        resolve(response.statusCode);
        request.destroy();
      });
      request.on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('document the refusal in the OpenAPI document of both routes', async () => {
    const { paths } = (await app.http().get('/docs-json')).body as { paths: Record<string, { get: { responses: Record<string, { description: string }> } }> };
    expect(paths['/v1/audit/events'].get.responses['400'].description).toContain('position-not-in-log');
    expect(paths['/v1/audit/live'].get.responses['400'].description).toContain('position-not-in-log');
  });

  // Audit pages stop reading at the last event the server sends, often before the server's end of the call
  // arrives. Each such call used to stay open in the client for the life of the process, and the client's
  // dispose waits for every open call: the application then stopped only when its shutdown deadline killed
  // it (exit code 1).
  it('leave no call open: after many pages that stop early the application stops cleanly', async () => {
    const count = (await page('limit=1000')).events.length;
    for (let i = 0; i < 20; i++) {
      // One short of the log: the page reads up to the last event to learn where the next page starts.
      expect((await page(`limit=${count - 1}`)).nextPosition).toEqual(expect.any(Number));
    }

    await app.close();
    expect(app.output()).not.toContain('shutdown did not finish');
    expect(app.process.exitCode).toBe(0);
  }, 60_000);
});
