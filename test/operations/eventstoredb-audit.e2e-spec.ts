import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';
import { startTestApp, TestApp } from '../support/test-app';
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
