import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint, removeAbandonedTemporaries, writeCheckpoint } from './checkpoint-file';
import { ReadModelState, serialize } from './read-model-state';
import { EventLog, at, registerCompany } from '../testing/recorded-events';

describe('checkpoint file', () => {
  let directory: string;
  beforeEach(async () => (directory = await mkdtemp(join(tmpdir(), 'bsc-checkpoint-'))));
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('reads back what it wrote, lines longer than its chunks included', async () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2024-01-01'));
    log.record(registerCompany('c2', 'DE', 'x'.repeat(2_500_000)), at('2024-01-02'));
    log.record(registerCompany('c3', 'FR', 'Société ünïcode'), at('2024-01-03'));
    const state = log.state();
    const path = join(directory, 'projections.checkpoint.json');
    await writeCheckpoint(path, state);

    const loaded = await readCheckpoint(path);
    expect('state' in loaded && [...serialize(loaded.state)]).toEqual([...serialize(state)]);
    expect(await readFile(path, 'utf8')).toBe([...serialize(state)].map((line) => `${line}\n`).join(''));
  });

  it('says why it cannot use a file', async () => {
    const path = join(directory, 'projections.checkpoint.json');
    expect(await readCheckpoint(path)).toEqual({ reason: 'absent' });
    await writeFile(path, `${JSON.stringify({ version: 1, position: 5, entities: [{ streamId: 'x'.repeat(8000) }] })}`);
    expect(await readCheckpoint(path)).toEqual({ reason: 'version', found: 1 });
    await writeFile(path, 'x'.repeat(8000));
    expect(await readCheckpoint(path)).toMatchObject({ reason: 'unreadable' });
  });

  it('removes the temporaries of writers that died mid-write, and only those', async () => {
    const path = join(directory, 'projections.checkpoint.json');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const names = {
      dead: `projections.checkpoint.json.${dead}.tmp`,
      mine: `projections.checkpoint.json.${process.pid}.tmp`,
      parent: `projections.checkpoint.json.${process.ppid}.tmp`,
      checkpoint: 'projections.checkpoint.json',
      other: `other.json.${dead}.tmp`,
      odd: 'projections.checkpoint.json.x1.tmp',
    };
    for (const name of Object.values(names)) await writeFile(join(directory, name), 'x');

    expect(await removeAbandonedTemporaries(path)).toEqual([join(directory, names.dead)]);
    expect((await readdir(directory)).sort()).toEqual(Object.values(names).filter((name) => name !== names.dead).sort());
    expect(await removeAbandonedTemporaries(join(directory, 'missing', 'projections.checkpoint.json'))).toEqual([]);
  });

  it('keeps the previous checkpoint and leaves no temporary when a write fails', async () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2024-01-01'));
    const path = join(directory, 'projections.checkpoint.json');
    await writeCheckpoint(path, log.state());
    const previous = await readFile(path, 'utf8');
    const unwritable = { ...log.state(), entities: new Map([['broken', null]]) } as unknown as ReadModelState;

    await expect(writeCheckpoint(path, unwritable)).rejects.toThrow();

    expect(await readFile(path, 'utf8')).toBe(previous);
    expect(await readdir(directory)).toEqual(['projections.checkpoint.json']);
  });
});
