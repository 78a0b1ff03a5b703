import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { SqliteEventStore } from '@bsc/event-store/adapters/sqlite/sqlite-event-store';
import { IDEMPOTENCY_EVENT_TYPE } from '../../apps/api/src/ingest/idempotency.store';
import { ExportedEvent, badItem, parseNdjson, runCli, seedItems, tempDir, writeNdjson } from './run-cli';

const SLOW = 120_000;

interface ImportSummary {
  items: number;
  imported: number;
  replayed: number;
  principal: string;
  refused: { line: number; kind?: string; type: string; errors?: { field: string; message: string }[] }[];
}

const countEvents = async (file: string): Promise<number> => {
  const store = SqliteEventStore.open(file);
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
};

describe('cli import, export and verify on SQLite', () => {
  const dir = tempDir();
  const dbFile = path.join(dir, 'events.db');
  const store = `sqlite:${dbFile}`;
  const input = path.join(dir, 'seed.ndjson');
  const items = seedItems('cli');
  // Line 4 is refused; the lines after it still depend on the ones before it and must go in.
  const lines = [...items.slice(0, 3), badItem, ...items.slice(3)];
  let firstRun: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    writeNdjson(input, lines);
    firstRun = await runCli(['import', '--store', store, '--file', input, '--principal', 'seed-loader']);
  }, SLOW);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records every valid line through the write path and refuses the bad one by line number, exit 1', () => {
    expect(firstRun.code).toBe(1);
    const summary = JSON.parse(firstRun.stdout) as ImportSummary;
    expect(summary).toMatchObject({ items: 9, imported: 8, replayed: 0, principal: 'seed-loader' });
    expect(summary.refused).toHaveLength(1);
    expect(summary.refused[0]).toMatchObject({ line: 4, kind: 'commissioning', type: 'validation-failed' });
    expect(summary.refused[0].errors?.map((error) => error.field)).toEqual(expect.arrayContaining(['plantId', 'commissionedOn']));
    expect(firstRun.stderr).toMatch(/8 imported, 0 already imported, 1 refused/);
    expect(firstRun.stderr).toMatch(/line 4 \(commissioning\)/);
  });

  it('exports every stored event in log order with its metadata, to a file or a range to stdout', async () => {
    const out = path.join(dir, 'export.ndjson');
    const [whole, range] = await Promise.all([
      runCli(['export', '--store', store, '--out', out]),
      runCli(['export', '--store', store, '--from-position', '3', '--to-position', '5']),
    ]);
    expect(whole.code).toBe(0);
    const events = parseNdjson<ExportedEvent>(fs.readFileSync(out, 'utf8'));
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    expect(events.map((event) => event.position)).toEqual(events.map((_, index) => index + 1));
    expect(Object.keys(events[0])).toEqual(['eventId', 'streamId', 'revision', 'position', 'type', 'data', 'metadata', 'recordedAt']);

    const facts = events.filter((event) => event.type !== 'IdempotencyKeyUsed');
    expect(facts.map((event) => event.type)).toEqual([
      'CompanyRegistered',
      'CapacityAnnounced',
      'PlantConstructionStarted',
      'PlantCommissioned',
      'FinancingRoundClosed',
      'StandardRegistered',
      'TariffMeasureImposed',
      'TechnologyMilestoneReached',
    ]);
    const plant = facts.filter((event) => event.streamId === 'plant-xinjie-energy-line-cli');
    expect(plant.map((event) => event.revision)).toEqual([0, 1, 2]);
    expect(plant[1].metadata.prevHash).toBe(plant[0].metadata.hash);
    for (const fact of facts) {
      expect(fact.metadata).toMatchObject({ recordedBy: 'seed-loader', source: expect.objectContaining({ publisher: 'SMM' }), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }

    expect(range.code).toBe(0);
    expect(parseNdjson<ExportedEvent>(range.stdout).map((event) => event.position)).toEqual([3, 4, 5]);
  }, SLOW);

  it('imports nothing new when the same file is imported again: every recorded line is skipped, none duplicated', async () => {
    const before = await countEvents(dbFile);
    const rerun = await runCli(['import', '--store', store, '--file', input, '--principal', 'seed-loader']);
    expect(rerun.code).toBe(1);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ imported: 0, replayed: 8, refused: [expect.objectContaining({ line: 4 })] });
    expect(await countEvents(dbFile)).toBe(before);
  }, SLOW);

  it('verifies the intact store (exit 0) and finds the edited event in a tampered copy (exit 1)', async () => {
    const tamperedFile = path.join(dir, 'tampered.db');
    const source = new Database(dbFile, { readonly: true });
    await source.backup(tamperedFile);
    source.close();
    const tampered = new Database(tamperedFile);
    tampered.prepare("UPDATE events SET data = json_set(data, '$.plannedCapacityGwh', 20) WHERE type = 'CapacityAnnounced'").run();
    tampered.close();

    const [intact, broken] = await Promise.all([
      runCli(['verify', '--store', store, '--json']),
      runCli(['verify', '--store', `sqlite:${tamperedFile}`, '--json']),
    ]);
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, eventsChecked: 16, failures: [] });
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as { ok: boolean; failures: { streamId: string; revision: number; reason: string }[] };
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ streamId: 'plant-xinjie-energy-line-cli', revision: 0, reason: expect.stringMatching(/hash mismatch/) })]);
    expect(broken.stderr).toMatch(/1 FAILURES/);
  }, SLOW);

  it('refuses an import line that would poison a prototype as malformed JSON, as the API does', async () => {
    const poisonedDir = tempDir();
    const poisonedStore = `sqlite:${path.join(poisonedDir, 'events.db')}`;
    const file = path.join(poisonedDir, 'poisoned.ndjson');
    const [company] = seedItems('poisoned');
    // JSON.stringify never writes an own __proto__ key: the hostile line is written by hand.
    fs.writeFileSync(file, `${JSON.stringify(company).slice(0, -1)},"__proto__":{"role":"admin"}}\n`);
    try {
      const run = await runCli(['import', '--store', poisonedStore, '--file', file]);
      expect(run.code).toBe(1);
      const summary = JSON.parse(run.stdout) as ImportSummary & { refused: { detail?: string }[] };
      expect(summary).toMatchObject({ items: 1, imported: 0 });
      expect(summary.refused).toEqual([expect.objectContaining({ line: 1, type: 'malformed-json', detail: expect.stringMatching(/prototype/) })]);
    } finally {
      fs.rmSync(poisonedDir, { recursive: true, force: true });
    }
  }, SLOW);

  it('imports a file of several chunks in order: lines see the lines before them across chunk boundaries, and refusals come back in line order', async () => {
    const chunkedDir = tempDir();
    const chunkedStore = `sqlite:${path.join(chunkedDir, 'events.db')}`;
    const file = path.join(chunkedDir, 'chunked.ndjson');
    const source = { publisher: 'Solid-state battery weekly', publishedOn: '2026-01-02' };
    const company = (n: number) => JSON.stringify({ kind: 'company', companyId: `chunked-${n}`, name: `Chunked ${n}`, headquartersCountry: 'CN', source });
    const plant = (n: number, companyN: number) =>
      JSON.stringify({ kind: 'capacity-announcement', plantId: `chunked-line-${n}`, companyId: `chunked-${companyN}`, country: 'CN', technologyRoute: 'semi-solid', plannedCapacityGwh: 2, announcedOn: '2025-12-31', source });
    const lines = Array.from({ length: 2100 }, (_, i) => company(i + 1));
    lines[299] = JSON.stringify(badItem); // line 300: invalid
    lines[1000] = plant(1001, 1000); // line 1001 names the company of line 1000, the last of the first chunk
    lines[1199] = plant(1200, 1999); // line 1200 names a company only line 1999 registers: unknown then
    lines[1499] = '{"kind": "company", '; // line 1500: not JSON
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    try {
      const run = await runCli(['import', '--store', chunkedStore, '--file', file]);
      expect(run.code).toBe(1);
      const summary = JSON.parse(run.stdout) as ImportSummary;
      expect(summary).toMatchObject({ items: 2100, imported: 2097, replayed: 0 });
      expect(summary.refused.map(({ line, type }) => ({ line, type }))).toEqual([
        { line: 300, type: 'validation-failed' },
        { line: 1200, type: 'unknown-reference' },
        { line: 1500, type: 'malformed-json' },
      ]);
      const typesAfter = (position: number): string[] => {
        const db = new Database(path.join(chunkedDir, 'events.db'), { readonly: true });
        try {
          return (db.prepare('SELECT type FROM events WHERE position > ? ORDER BY position').all(position) as { type: string }[]).map(({ type }) => type);
        } finally {
          db.close();
        }
      };
      const written = await countEvents(path.join(chunkedDir, 'events.db'));
      // A rerun replays every imported line; line 1200's company exists now, so it goes in.
      const rerun = await runCli(['import', '--store', chunkedStore, '--file', file]);
      expect(JSON.parse(rerun.stdout)).toMatchObject({ imported: 1, replayed: 2097 });
      expect((JSON.parse(rerun.stdout) as ImportSummary).refused.map(({ line }) => line)).toEqual([300, 1500]);
      expect(typesAfter(written).sort()).toEqual(['CapacityAnnounced', IDEMPOTENCY_EVENT_TYPE].sort());
    } finally {
      fs.rmSync(chunkedDir, { recursive: true, force: true });
    }
  }, SLOW);

  it('answers usage errors with exit 2 and an unreadable store or input with exit 3', async () => {
    const runs = await Promise.all([
      runCli(['import', '--store', store]),
      runCli(['export', '--store', store, '--to-position', 'last']),
      runCli(['frobnicate']),
      runCli(['export', '--store', `sqlite:${path.join(dir, 'missing', 'events.db')}`]),
      runCli(['import', '--store', store, '--file', path.join(dir, 'missing.ndjson')]),
      runCli(['import', '--store', store, '--file', input], { BATCH_VALIDATION_THREADS: 'all' }),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 3, 3, 2]);
    expect(runs[0].stderr).toMatch(/--file/);
    expect(runs[5].stderr).toMatch(/BATCH_VALIDATION_THREADS must be a whole number/);
    expect(runs[3].stderr).toMatch(/no SQLite store/);
    expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false);
  }, SLOW);
});
