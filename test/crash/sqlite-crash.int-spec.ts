import Database from 'better-sqlite3';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StoredEvent } from '@bsc/event-store';
import { SqliteEventStore } from '@bsc/event-store/adapters/sqlite/sqlite-event-store';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
const WRITERS = 16;
const MAX_KILL_DELAY_MS = 300;
const FIRST_ACK_TIMEOUT_MS = 30_000;
const REPO_ROOT = resolve(__dirname, '..', '..');
const WRITER_SCRIPT = join(__dirname, 'sqlite-crash-writer.ts');

interface Ack {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
}

interface CycleReport {
  acks: Ack[];
  killDelayMs: number;
}

describe('SqliteEventStore under kill -9', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-crash-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `keeps every acknowledged append, gap-free and in order, across ${CYCLES} kills at random moments`,
    async () => {
      const file = join(dir, 'events.sqlite');
      const acknowledged: Ack[] = [];

      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        const { acks, killDelayMs } = await runWriterUntilKilled(file);
        acknowledged.push(...acks);
        const context = `cycle ${cycle}, killed ${killDelayMs} ms after the first ack`;

        expect({ context, acksThisCycle: acks.length > 0 }).toEqual({ context, acksThisCycle: true });
        await verifyStore(file, acknowledged, context);
      }
    },
    CYCLES * 15_000 + 30_000,
  );
});

/** Starts the writer, waits for its first acknowledgement, lets it run a random while, then SIGKILLs it. */
function runWriterUntilKilled(file: string): Promise<CycleReport> {
  return new Promise((resolveCycle, rejectCycle) => {
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      ['-r', 'reflect-metadata', '-r', 'ts-node/register', '-r', 'tsconfig-paths/register', WRITER_SCRIPT, file, String(WRITERS)],
      { cwd: REPO_ROOT, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } },
    );
    const acks: Ack[] = [];
    const killDelayMs = Math.floor(Math.random() * MAX_KILL_DELAY_MS);
    let unfinishedLine = '';
    let stderr = '';
    let killScheduled = false;
    const noAckTimer = setTimeout(() => child.kill('SIGKILL'), FIRST_ACK_TIMEOUT_MS);

    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (unfinishedLine + chunk.toString()).split('\n');
      // A line cut by the kill was never fully reported, so it proves nothing either way.
      unfinishedLine = lines.pop() ?? '';
      for (const line of lines) {
        const [tag, eventId, streamId, revision, position] = line.split(' ');
        if (tag !== 'ack') continue;
        acks.push({ eventId, streamId, revision: Number(revision), position: Number(position) });
      }
      if (acks.length > 0 && !killScheduled) {
        killScheduled = true;
        clearTimeout(noAckTimer);
        setTimeout(() => child.kill('SIGKILL'), killDelayMs);
      }
    });
    child.on('error', rejectCycle);
    child.on('close', (code, signal) => {
      clearTimeout(noAckTimer);
      if (signal === 'SIGKILL' && acks.length > 0) resolveCycle({ acks, killDelayMs });
      else rejectCycle(new Error(`writer ended with code ${code} signal ${signal} after ${acks.length} acks: ${stderr}`));
    });
  });
}

async function verifyStore(file: string, acknowledged: Ack[], context: string): Promise<void> {
  const store = SqliteEventStore.open(file);
  let log: StoredEvent[];
  try {
    log = [];
    for await (const event of store.readAll()) log.push(event);
    expect(await store.headPosition()).toBe(log.length);
  } finally {
    await store.close();
  }

  const problems: string[] = [];
  log.forEach((event, i) => {
    if (event.position !== i + 1) problems.push(`position ${event.position} found where ${i + 1} was due`);
    if (i > 0 && event.recordedAt < log[i - 1].recordedAt) problems.push(`recordedAt went backwards at position ${event.position}`);
  });
  const nextRevision = new Map<string, number>();
  for (const event of log) {
    const expected = nextRevision.get(event.streamId) ?? 0;
    if (event.revision !== expected) problems.push(`${event.streamId} has revision ${event.revision} where ${expected} was due`);
    nextRevision.set(event.streamId, event.revision + 1);
  }
  for (const ack of acknowledged) {
    const stored = log[ack.position - 1];
    if (stored?.eventId !== ack.eventId || stored.streamId !== ack.streamId || stored.revision !== ack.revision) {
      problems.push(`acknowledged ${ack.eventId} (${ack.streamId}@${ack.revision}, position ${ack.position}) is ${stored ? `${stored.eventId} ${stored.streamId}@${stored.revision}` : 'missing'}`);
    }
  }
  if (new Set(log.map((event) => event.eventId)).size !== log.length) problems.push('an event id appears twice');

  const raw = new Database(file, { readonly: true });
  try {
    const integrity = raw.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
  } finally {
    raw.close();
  }

  expect({ context, problems: problems.slice(0, 10) }).toEqual({ context, problems: [] });
}
