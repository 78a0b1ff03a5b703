import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';
import { startTestApp, TestApp } from '../support/test-app';
import { companyBody, uniqueId } from '../support/seed-bodies';
import { expectWritten } from '../support/write-helpers';

/**
 * On EventStoreDB (the protocol emulator), audit pages stop reading at the last event the server sends,
 * often before the server's end of the call arrives. Each such call used to stay open in the client for
 * the life of the process, and the client's dispose waits for every open call: the application then
 * stopped only when its shutdown deadline killed it (exit code 1).
 */
let emulator: EsdbEmulator;
let app: TestApp;

beforeAll(async () => {
  emulator = await startEsdbEmulator();
  app = await startTestApp({ EVENT_STORE_URL: emulator.connectionString });
}, 60_000);

afterAll(async () => {
  await app?.destroy();
  await emulator?.stop();
}, 30_000);

describe('EventStoreDB reads that stop early', () => {
  it('leave no call open: after many audit pages the application stops cleanly', async () => {
    for (let i = 0; i < 3; i++) expectWritten(await app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(uniqueId('byd'))), undefined);
    const whole = await app.http().get('/v1/audit/events?limit=1000').set(app.auth('auditor'));
    const count = (whole.body as { events: unknown[] }).events.length;
    expect(count).toBeGreaterThanOrEqual(3);

    for (let i = 0; i < 20; i++) {
      // One short of the log: the page reads up to the last event to learn where the next page starts.
      const page = await app.http().get(`/v1/audit/events?limit=${count - 1}`).set(app.auth('auditor'));
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ nextPosition: expect.any(Number) });
    }

    await app.close();
    expect(app.output()).not.toContain('shutdown did not finish');
    expect(app.process.exitCode).toBe(0);
  }, 60_000);
});
