import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoredEvent } from '@bsc/event-store';
import { readCheckpoint, rebuildFromEvents, serialize } from '@bsc/projections';
import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody } from '../support/seed-bodies';
import { Acknowledged, ChainVerifier, LONG_RUN, jsonHeaders, missingAcknowledged, readLog, seededRandom, send, sleep, TORTURE_ENV, tortureBatch } from './torture-support';

/**
 * SIGKILL the API at random moments while several clients ingest over HTTP, restart it on the same data
 * directory, and check after every restart: each acknowledged write is stored where its 201 said, the
 * hash chains and gap-free positions hold, and the read side serves what was written. Every few cycles
 * (and at the end) a graceful stop writes the projection checkpoint, which must load as a replay of the log.
 * One client sends mixed batches, so a kill also lands between or inside the waves of a batch. The API
 * checkpoints every 200 ms, so a kill also lands while a checkpoint is written whole or a section of
 * changes is added to it, and restarts load checkpoints of several sections, some cut short.
 */
const CYCLES = Number(process.env.TORTURE_CRASH_CYCLES ?? (LONG_RUN ? 500 : 20));
const CLIENTS = 4;
const REPLAY_CHECK_EVERY = LONG_RUN ? 50 : 10;
const SEED = Number(process.env.TORTURE_SEED ?? Date.now() % 2 ** 31);
const CRASH_ENV = { ...TORTURE_ENV, CHECKPOINT_INTERVAL_MS: '200' };

interface Shared {
  companies: string[];
  plants: string[];
  acknowledged: Acknowledged[];
  /** How many of those came from batches. */
  acknowledgedInBatches: number;
  counter: number;
}

interface BatchItemAnswer extends Acknowledged {
  status: number;
}

/** Sends mixed batches; each item the answer acknowledges (201) must be stored, as a single write's 201. */
const batchClient = async (app: TestApp, shared: Shared, random: () => number, stop: { now: boolean }): Promise<void> => {
  const headers = jsonHeaders(TEST_KEYS.integrator);
  while (!stop.now) {
    const batch = tortureBatch(`crash-batch-${SEED.toString(36)}-${(shared.counter += 1)}`, shared, (count) => Math.floor(random() * count));
    const answer = await send(`${app.url}/v1/batch`, { method: 'POST', headers, body: JSON.stringify({ items: batch.items }), timeoutMs: 10_000 });
    if (answer.status === 0) return;
    if (answer.status !== 200) throw new Error(`/v1/batch answered ${answer.status} during ingest: ${JSON.stringify(answer.body)}`);
    for (const [index, result] of ((answer.body as { results: BatchItemAnswer[] }).results ?? []).entries()) {
      if (result.status >= 500) throw new Error(`/v1/batch item ${index} answered ${result.status} during ingest: ${JSON.stringify(result)}`);
      if (result.status !== 201) continue;
      shared.acknowledged.push({ eventId: result.eventId, streamId: result.streamId, revision: result.revision, position: result.position });
      shared.acknowledgedInBatches += 1;
      const registered = batch.registers.get(index);
      if (registered && 'company' in registered) shared.companies.push(registered.company);
      if (registered && 'plant' in registered) shared.plants.push(registered.plant);
    }
  }
};

const client = async (app: TestApp, shared: Shared, random: () => number, stop: { now: boolean }): Promise<void> => {
  const headers = jsonHeaders(TEST_KEYS.integrator);
  while (!stop.now) {
    const roll = random();
    const n = (shared.counter += 1);
    let url: string;
    let body: object;
    let onAck = (): void => undefined;
    if (shared.companies.length === 0 || roll < 0.25) {
      const companyId = `crash-co-${SEED.toString(36)}-${n}`;
      url = '/v1/companies';
      body = companyBody(companyId);
      onAck = () => void shared.companies.push(companyId);
    } else if (shared.plants.length === 0 || roll < 0.55) {
      const plantId = `crash-plant-${SEED.toString(36)}-${n}`;
      url = '/v1/plants/capacity-announcements';
      body = announcementBody(plantId, shared.companies[Math.floor(random() * shared.companies.length)]);
      onAck = () => void shared.plants.push(plantId);
    } else {
      url = `/v1/plants/${shared.plants[Math.floor(random() * shared.plants.length)]}/commissionings`;
      body = commissioningBody(1 + Math.floor(random() * 20) / 10);
    }
    const answer = await send(`${app.url}${url}`, { method: 'POST', headers, body: JSON.stringify(body), timeoutMs: 10_000 });
    if (answer.status === 0) return;
    if (answer.status === 201) {
      const ack = answer.body as Acknowledged;
      shared.acknowledged.push({ eventId: ack.eventId, streamId: ack.streamId, revision: ack.revision, position: ack.position });
      onAck();
    } else if (answer.status >= 500) {
      throw new Error(`${url} answered ${answer.status} during ingest: ${JSON.stringify(answer.body)}`);
    }
  }
};

/** Whether the checkpoint loads as the state a replay of the log builds, and how many sections of changes it has. */
const checkReplayAgainstCheckpoint = async (dataDir: string, log: readonly StoredEvent[]): Promise<{ equalsReplay: boolean; sections: number }> => {
  const file = path.join(dataDir, 'projections.checkpoint.json');
  const loaded = await readCheckpoint(file);
  const sections = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{') && line.includes('"after":')).length;
  if (!('state' in loaded)) return { equalsReplay: false, sections };
  return { equalsReplay: [...serialize(loaded.state)].join('\n') === [...serialize(rebuildFromEvents(log))].join('\n'), sections };
};

describe(`crash torture (${CYCLES} SIGKILL cycles, seed ${SEED})`, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-torture-crash-'));
  let app: TestApp | undefined;

  afterAll(async () => {
    await app?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'keeps every acknowledged event, intact chains and projections that agree with a replay',
    async () => {
      const random = seededRandom(SEED);
      const shared: Shared = { companies: [], plants: [], acknowledged: [], acknowledgedInBatches: 0, counter: 0 };
      const verifier = new ChainVerifier();
      const seenEventIds = new Set<string>();
      let acknowledgementsChecked = 0;
      let replayChecks = 0;
      let checkpointSections = 0;
      for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
        app = await startTestApp(CRASH_ENV, dataDir);
        const current = app;

        // The restarted API serves every acknowledged write: the read side caught up past them.
        const head = shared.acknowledged.reduce((max, ack) => Math.max(max, ack.position), 0);
        if (shared.companies.length > 0) {
          const companyId = shared.companies[Math.floor(random() * shared.companies.length)];
          const read = await send(`${current.url}/v1/companies/${companyId}/capacity?minPosition=${head}`, { headers: jsonHeaders(TEST_KEYS.analyst) });
          expect({ cycle, companyId, status: read.status }).toEqual({ cycle, companyId, status: 200 });
        }

        const stop = { now: false };
        const clients = Array.from({ length: CLIENTS }, (_, i) => (i === 0 ? batchClient : client)(current, shared, seededRandom(SEED + cycle * 31 + i), stop));
        await sleep(200 + random() * 1200);
        const graceful = cycle % REPLAY_CHECK_EVERY === 0 || cycle === CYCLES;
        if (graceful) {
          stop.now = true;
          await Promise.all(clients);
          expect(await current.close()).toBe(0);
        } else {
          await current.kill();
          stop.now = true;
          await Promise.all(clients);
        }
        app = undefined;

        // Each cycle reads what it added: its acknowledgements are there, chains and positions continue, no
        // event id comes twice. Graceful cycles check the whole log again, every acknowledgement so far
        // included (re-reading all of it after every kill made a long run's cycles grow with the log).
        const added = readLog(dataDir, verifier.position);
        expect({ cycle, missing: missingAcknowledged(shared.acknowledged.slice(acknowledgementsChecked), added) }).toEqual({ cycle, missing: [] });
        acknowledgementsChecked = shared.acknowledged.length;
        expect({ cycle, problems: verifier.verify(added) }).toEqual({ cycle, problems: [] });
        const reused: string[] = [];
        for (const { eventId } of added) {
          if (seenEventIds.has(eventId)) reused.push(eventId);
          seenEventIds.add(eventId);
        }
        expect({ cycle, reused }).toEqual({ cycle, reused: [] });
        if (graceful) {
          const log = readLog(dataDir);
          expect({ cycle, events: log.length, missing: missingAcknowledged(shared.acknowledged, log) }).toEqual({ cycle, events: verifier.position, missing: [] });
          const { equalsReplay, sections } = await checkReplayAgainstCheckpoint(dataDir, log);
          expect({ cycle, checkpointEqualsReplay: equalsReplay }).toEqual({ cycle, checkpointEqualsReplay: true });
          checkpointSections += sections;
          // Checkpoint temporaries of killed predecessors are removed at start; a graceful stop leaves none.
          expect({ cycle, temporaries: fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp')) }).toEqual({ cycle, temporaries: [] });
          replayChecks += 1;
        }
      }
      expect(shared.acknowledged.length).toBeGreaterThan(CYCLES);
      expect(shared.acknowledgedInBatches).toBeGreaterThan(CYCLES);
      expect(replayChecks).toBeGreaterThanOrEqual(1);
      // The graceful stops found checkpoints kept current by sections, not only whole ones.
      expect(checkpointSections).toBeGreaterThan(0);
    },
    // A cycle takes 2-4 s here; TORTURE_CRASH_CYCLES may ask for more than the level's default.
    LONG_RUN ? 6 * 60 * 60_000 : Math.max(240_000, CYCLES * 10_000),
  );
});
