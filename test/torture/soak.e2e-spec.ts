import fs from 'node:fs';
import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody } from '../support/seed-bodies';
import { jsonHeaders, LONG_RUN, send, sleep, TORTURE_ENV } from './torture-support';

/**
 * Only in `npm run torture`: ten minutes of mixed reads and writes while the API's resident memory is
 * sampled. Growth that keeps going (a leak) shows as the last third's mean clearly above the middle
 * third's; the first third is warm-up (JIT, caches, the read model filling).
 */
const SOAK_MS = Number(process.env.TORTURE_SOAK_MS ?? 10 * 60_000);
const TOLERANCE = 1.15;
const soak = LONG_RUN ? it : it.skip;

const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
};
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / Math.max(values.length, 1);

let app: TestApp | undefined;

afterAll(async () => {
  await app?.destroy();
});

soak(`memory does not keep growing under ${SOAK_MS / 60_000} minutes of mixed load`, async () => {
  app = await startTestApp(TORTURE_ENV);
  const current = app;
  const pid = current.process.pid ?? 0;
  const samples: number[] = [];
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
  const reader = async () => {
    while (Date.now() < end) {
      const company = companies[Math.floor(Math.random() * companies.length)];
      // minPosition: the company may have been written a moment ago (read-your-writes).
      const path = company ? `/v1/companies/${company.id}/capacity?minPosition=${company.position}` : '/v1/read-models/company-capacity';
      const answer = await send(`${current.url}${path}`, { headers: jsonHeaders(TEST_KEYS.analyst) });
      if (answer.status !== 200 && failures.length < 20) failures.push(`${path}: ${answer.status}`);
    }
  };
  const sampler = async () => {
    while (Date.now() < end) {
      samples.push(rssMb(pid));
      await sleep(2000);
    }
  };
  await Promise.all([writer(), writer(), reader(), reader(), sampler()]);

  expect(failures).toEqual([]);
  const third = Math.floor(samples.length / 3);
  const middle = mean(samples.slice(third, 2 * third));
  const last = mean(samples.slice(2 * third));
  // The figures behind a pass, so that a long run's report shows how close it came.
  console.log(`soak: ${SOAK_MS / 1000} s, ${n} writes, ${samples.length} RSS samples, middle third ${middle.toFixed(1)} MB, last third ${last.toFixed(1)} MB (limit ${(middle * TOLERANCE).toFixed(1)} MB)`);
  expect({ middleMb: Math.round(middle), lastMb: Math.round(last), grewBeyondTolerance: last > middle * TOLERANCE }).toEqual({
    middleMb: Math.round(middle),
    lastMb: Math.round(last),
    grewBeyondTolerance: false,
  });
}, SOAK_MS + 120_000);
