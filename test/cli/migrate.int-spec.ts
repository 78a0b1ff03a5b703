import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';
import { ExportedEvent, parseNdjson, runCli, seedItems, tempDir, writeNdjson } from './run-cli';

const SLOW = 180_000;

/** What a copy must keep: everything but the store's own positions and record time. */
const history = (events: ExportedEvent[]) => events.map(({ eventId, streamId, revision, type, data, metadata }) => ({ eventId, streamId, revision, type, data, metadata }));

interface MigrationReport {
  copied: number;
  alreadyPresent: number;
  verification: { ok: boolean; sourceEvents: number; targetEvents: number; differences: string[]; integrity: { ok: boolean }; anchor: { ok: boolean; source: { digest: string }; target: { digest: string } } };
}

describe('cli migrate from SQLite to EventStoreDB (protocol emulator)', () => {
  const dir = tempDir();
  const source = `sqlite:${path.join(dir, 'events.db')}`;
  /** The source as it was after its first 16 events: what an interrupted run would have copied. */
  const prefix = `sqlite:${path.join(dir, 'prefix.db')}`;
  let emulator: EsdbEmulator;

  const importInto = async (store: string, name: string, items: unknown[]) => {
    const input = path.join(dir, `${name}.ndjson`);
    writeNdjson(input, items);
    const imported = await runCli(['import', '--store', store, '--file', input]);
    if (imported.code !== 0) throw new Error(`seed import failed (${imported.code}): ${imported.stderr}`);
  };

  beforeAll(async () => {
    emulator = await startEsdbEmulator();
    await importInto(source, 'seed', seedItems('migrated'));
    const db = new Database(path.join(dir, 'events.db'), { readonly: true });
    await db.backup(path.join(dir, 'prefix.db'));
    db.close();
    await importInto(source, 'later', seedItems('later').slice(0, 2));
  }, SLOW);

  afterAll(async () => {
    await emulator?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('copies the history with ids, order, metadata and hash chains, resuming after a partial copy, verifies it (exit 0), and both stores export the same history', async () => {
    const partial = await runCli(['migrate', '--from', prefix, '--to', emulator.connectionString]);
    expect(partial.code).toBe(0);
    expect(JSON.parse(partial.stdout)).toMatchObject({ copied: 16, alreadyPresent: 0 });

    // A batch size of 1 makes every event its own append with its own expected revision.
    const migrated = await runCli(['migrate', '--from', source, '--to', emulator.connectionString, '--batch-size', '1']);
    expect(migrated.stderr).toMatch(/verification ok/);
    expect(migrated.code).toBe(0);
    const report = JSON.parse(migrated.stdout) as MigrationReport;
    expect(report).toMatchObject({ copied: 4, alreadyPresent: 16, verification: { ok: true, sourceEvents: 20, targetEvents: 20, differences: [], integrity: { ok: true }, anchor: { ok: true } } });
    // An anchor saved on the SQLite store verifies against the EventStoreDB copy.
    expect(report.verification.anchor.target.digest).toBe(report.verification.anchor.source.digest);

    const [fromSqlite, fromEsdb] = await Promise.all([runCli(['export', '--store', source]), runCli(['export', '--store', emulator.connectionString])]);
    expect([fromSqlite.code, fromEsdb.code]).toEqual([0, 0]);
    const original = parseNdjson<ExportedEvent>(fromSqlite.stdout);
    const copy = parseNdjson<ExportedEvent>(fromEsdb.stdout);
    expect(copy).toHaveLength(20);
    expect(history(copy)).toEqual(history(original));
    expect(copy.every((event, index) => index === 0 || event.position > copy[index - 1].position)).toBe(true);

    // EventStoreDB positions are byte offsets: an export starts at an event's position, not inside one.
    const fromSecond = await runCli(['export', '--store', emulator.connectionString, '--from-position', String(copy[1].position)]);
    expect(parseNdjson<ExportedEvent>(fromSecond.stdout).map((event) => event.eventId)).toEqual(copy.slice(1).map((event) => event.eventId));
    const inside = await runCli(['export', '--store', emulator.connectionString, '--from-position', String(copy[1].position + 1)]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain(`--from-position ${copy[1].position + 1}: position ${copy[1].position + 1} is not where an event starts in the log`);
  }, SLOW);

  it('resumes on a target that holds the history already (nothing copied, exit 0) and refuses a target with another history (exit 4)', async () => {
    const otherInput = path.join(dir, 'other.ndjson');
    const other = `sqlite:${path.join(dir, 'other.db')}`;
    writeNdjson(otherInput, seedItems('other').slice(0, 1));
    const otherImport = await runCli(['import', '--store', other, '--file', otherInput]);
    expect(otherImport.code).toBe(0);

    const again = await runCli(['migrate', '--from', source, '--to', emulator.connectionString]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ copied: 0, alreadyPresent: 20, verification: { ok: true } });

    const refused = await runCli(['migrate', '--from', other, '--to', emulator.connectionString]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/prefix of the source's history/);
    const after = await runCli(['export', '--store', emulator.connectionString]);
    expect(parseNdjson(after.stdout)).toHaveLength(20);
  }, SLOW);
});
