import { EsdbEventStore } from '@bsc/event-store/adapters/esdb/esdb-event-store';
import { StoredEvent } from '@bsc/event-store';
import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';
import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { companyBody } from '../support/seed-bodies';
import { Acknowledged, jsonHeaders, LONG_RUN, send, sleep, TORTURE_ENV } from './torture-support';

/**
 * The EventStoreDB emulator goes down while several clients write. During the outage writes answer 503
 * with Retry-After (never another 5xx), nothing is half-written: the log holds exactly the acknowledged
 * writes (every 201, and no event whose request was refused or dropped), and the API recovers by itself.
 */
const CLIENTS = 6;
const OUTAGES = LONG_RUN ? 5 : 1;

let emulator: EsdbEmulator;
let app: TestApp;

beforeAll(async () => {
  emulator = await startEsdbEmulator();
  app = await startTestApp({ ...TORTURE_ENV, EVENT_STORE_URL: emulator.connectionString });
}, 60_000);

afterAll(async () => {
  await app?.destroy();
  await emulator?.stop();
});

it(`writes during ${OUTAGES} outage(s) mid-load: 503 with Retry-After, nothing half-written, recovery without restart`, async () => {
  const acknowledged: Acknowledged[] = [];
  const attempted = new Set<string>();
  const refused: { status: number; retryAfter: string | null; type: unknown }[] = [];
  let n = 0;
  const stop = { now: false };
  const client = async (c: number) => {
    while (!stop.now) {
      const companyId = `outage-${c}-${(n += 1)}`;
      attempted.add(companyId);
      const answer = await send(`${app.url}/v1/companies`, { method: 'POST', headers: jsonHeaders(TEST_KEYS.integrator), body: JSON.stringify(companyBody(companyId)), timeoutMs: 20_000 });
      if (answer.status === 201) acknowledged.push(answer.body as Acknowledged);
      else {
        refused.push({ status: answer.status, retryAfter: answer.headers.get('retry-after'), type: (answer.body as { type?: unknown } | undefined)?.type });
        await sleep(50);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  for (let outage = 0; outage < OUTAGES; outage += 1) {
    await sleep(1500);
    await emulator.goDown();
    await sleep(3000);
    await emulator.comeBack();
  }
  const before = acknowledged.length;
  const deadline = Date.now() + 20_000;
  while (acknowledged.length <= before + CLIENTS && Date.now() < deadline) await sleep(200);
  stop.now = true;
  await Promise.all(clients);

  expect(app.process.exitCode).toBeNull();
  expect(acknowledged.length).toBeGreaterThan(before);
  expect(refused.length).toBeGreaterThan(0);
  const notStoreUnavailable = refused.filter((r) => !(r.status === 503 && /^\d+$/.test(r.retryAfter ?? '') && r.type === '/problems/store-unavailable'));
  expect(notStoreUnavailable).toEqual([]);

  const reader = EsdbEventStore.connect(emulator.connectionString);
  const stored: StoredEvent[] = [];
  try {
    for await (const event of reader.readAll()) if (event.type === 'CompanyRegistered' && event.streamId.startsWith('company-outage-')) stored.push(event);
  } finally {
    await reader.close();
  }
  const storedIds = stored.map((event) => event.eventId).sort();
  const acknowledgedIds = acknowledged.map((ack) => ack.eventId).sort();
  // Each request registers its own company, so an event without a 201 can only come from a refused request.
  const unacknowledged = stored.filter((event) => !acknowledgedIds.includes(event.eventId));
  expect({ missing: acknowledgedIds.filter((id) => !storedIds.includes(id)), unacknowledged: unacknowledged.map((e) => e.streamId) }).toEqual({ missing: [], unacknowledged: [] });
  expect(new Set(stored.map((event) => event.streamId)).size).toBe(stored.length);
}, LONG_RUN ? 10 * 60_000 : 90_000);
