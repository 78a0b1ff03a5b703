import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody } from '../support/seed-bodies';
import { jsonHeaders, LONG_RUN, send, sleep, TORTURE_ENV, tortureBatch, TORTURE_BATCH_ITEMS } from './torture-support';

/**
 * Only in `npm run torture`: ten minutes of mixed reads and writes, then the live heap (after a full
 * garbage collection) of the process that served them is compared with that of a process freshly started
 * on the same data. The read models live in memory and grow with every accepted write by design, so
 * resident memory over time cannot tell that from a leak; what a fresh process on the same data does not
 * hold is what the load left behind. One writer sends mixed batches, so the batch path (waves, validation on
 * worker threads) runs the whole time too.
 */
const SOAK_MS = Number(process.env.TORTURE_SOAK_MS ?? 10 * 60_000);
/** Room for what a fresh process has not built yet (compiled code, caches that fill on first use). */
const TOLERANCE = 1.1;
const SLACK_MB = 8;
const soak = LONG_RUN ? it : it.skip;

const PROBE_ENV = { ...TORTURE_ENV, NODE_OPTIONS: `--import=${pathToFileURL(path.join(__dirname, 'live-heap-probe.mjs')).href}` };

/** Asks the probe preloaded into the app to collect garbage and report what is still reachable. */
const liveHeapMb = (target: TestApp): Promise<number> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the live heap probe did not answer within 60 s')), 60_000);
    target.process.once('message', (message: { liveHeapBytes: number }) => {
      clearTimeout(timer);
      resolve(message.liveHeapBytes / 1024 / 1024);
    });
    target.process.send('live-heap?');
  });

let app: TestApp | undefined;

afterAll(async () => {
  await app?.destroy();
});

soak(`${SOAK_MS / 60_000} minutes of mixed load leave nothing in memory that a fresh process on the same data does not hold`, async () => {
  app = await startTestApp(PROBE_ENV);
  const current = app;
  const failures: string[] = [];
  const plants: string[] = [];
  const companies: { id: string; position: number }[] = [];
  let n = 0;
  const end = Date.now() + SOAK_MS;
  const writer = async () => {
    while (Date.now() < end) {
      // Each iteration keeps its own number: the other writer moves `n` on while this one awaits.
      const i = (n += 1);
      const roll = i % 10;
      let path = '/v1/companies';
      let body: object = companyBody(`soak-co-${i}`);
      if (roll >= 3 && roll < 6 && companies.length > 0) {
        path = '/v1/plants/capacity-announcements';
        body = announcementBody(`soak-plant-${i}`, companies[i % companies.length].id);
      } else if (roll >= 6 && plants.length > 0) {
        path = `/v1/plants/${plants[i % plants.length]}/commissionings`;
        body = commissioningBody(1 + (i % 7));
      }
      const answer = await send(`${current.url}${path}`, { method: 'POST', headers: jsonHeaders(TEST_KEYS.integrator), body: JSON.stringify(body) });
      if (answer.status === 201 && path === '/v1/companies') companies.push({ id: `soak-co-${i}`, position: (answer.body as { position: number }).position });
      if (answer.status === 201 && path.endsWith('capacity-announcements')) plants.push(`soak-plant-${i}`);
      if (answer.status !== 201 && failures.length < 20) failures.push(`${path}: ${answer.status}`);
    }
  };
  let batches = 0;
  const batchWriter = async () => {
    while (Date.now() < end) {
      const batch = tortureBatch(`soak-batch-${(batches += 1)}`, { companies: companies.map(({ id }) => id), plants }, (count) => Math.floor(Math.random() * count));
      const answer = await send(`${current.url}/v1/batch`, { method: 'POST', headers: jsonHeaders(TEST_KEYS.integrator), body: JSON.stringify({ items: batch.items }) });
      const results = answer.status === 200 ? (answer.body as { results: { status: number; position: number }[] }).results : [];
      if (answer.status !== 200 && failures.length < 20) failures.push(`/v1/batch: ${answer.status}`);
      for (const [index, result] of results.entries()) {
        if (result.status !== 201 && failures.length < 20) failures.push(`/v1/batch item ${index}: ${result.status}`);
        const registered = batch.registers.get(index);
        if (result.status === 201 && registered && 'company' in registered) companies.push({ id: registered.company, position: result.position });
        if (result.status === 201 && registered && 'plant' in registered) plants.push(registered.plant);
      }
      // A batch's events outnumber a single writer's by far: paced, so the soak's history stays near its old size.
      await sleep(250);
    }
  };
  const reader = async () => {
    while (Date.now() < end) {
      const company = companies[Math.floor(Math.random() * companies.length)];
      // minPosition: the company may have been written a moment ago (read-your-writes).
      const path = company ? `/v1/companies/${company.id}/capacity?minPosition=${company.position}` : '/v1/read-models/company-capacity';
      const answer = await send(`${current.url}${path}`, { headers: jsonHeaders(TEST_KEYS.analyst) });
      if (answer.status !== 200 && failures.length < 20) failures.push(`${path}: ${answer.status}`);
    }
  };
  await Promise.all([writer(), writer(), batchWriter(), reader(), reader()]);
  expect(failures).toEqual([]);

  const afterLoad = await liveHeapMb(current);
  const { position: head } = (await send(`${current.url}/v1/read-models/company-capacity`, { headers: jsonHeaders(TEST_KEYS.analyst) })).body as { position: number };
  await current.close();
  app = await startTestApp(PROBE_ENV, current.dataDir);
  const fresh = app;
  // The same state as the loaded process: every event applied, and the read paths the soak used run once.
  expect((await send(`${fresh.url}/v1/read-models/company-capacity?minPosition=${head}`, { headers: jsonHeaders(TEST_KEYS.analyst) })).status).toBe(200);
  expect((await send(`${fresh.url}/v1/companies/${companies[0].id}/capacity?minPosition=${head}`, { headers: jsonHeaders(TEST_KEYS.analyst) })).status).toBe(200);
  const onSameData = await liveHeapMb(fresh);
  // The figures behind a pass, so that a long run's report shows how close it came.
  console.log(`soak: ${SOAK_MS / 1000} s, ${n} writes and ${batches} batches of ${TORTURE_BATCH_ITEMS} to position ${head}; live heap ${afterLoad.toFixed(1)} MB after the load, ${onSameData.toFixed(1)} MB in a fresh process on the same data`);
  expect({ afterLoadMb: Math.round(afterLoad), onSameDataMb: Math.round(onSameData), leftBehind: afterLoad > onSameData * TOLERANCE + SLACK_MB }).toEqual({
    afterLoadMb: Math.round(afterLoad),
    onSameDataMb: Math.round(onSameData),
    leftBehind: false,
  });
}, SOAK_MS + 120_000);
