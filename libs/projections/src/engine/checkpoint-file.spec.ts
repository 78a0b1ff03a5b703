import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointFile, readCheckpoint, removeAbandonedTemporaries, writeCheckpoint } from './checkpoint-file';
import { ReadModelState, apply, rebuildFromEvents, serialize } from './read-model-state';
import { EventLog, announce, at, registerCompany, revise } from '../testing/recorded-events';

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

  describe('kept current by sections of changes', () => {
    const headers = async (path: string) =>
      (await readFile(path, 'utf8'))
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { position: number; after?: number });
    /** A writer whose first checkpoint is about to be written, of a state of `companies` registrations. */
    const writerOf = (companies: number) => {
      const log = new EventLog();
      for (let i = 1; i <= companies; i++) log.record(registerCompany(`c${i}`), at('2024-01-01'));
      const path = join(directory, 'projections.checkpoint.json');
      return { log, path, file: new CheckpointFile(path), state: rebuildFromEvents(log.events) };
    };
    const restored = async (path: string) => {
      const loaded = await readCheckpoint(path);
      if (!('state' in loaded)) throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
      return [...serialize(loaded.state)];
    };

    it('writes the whole state first, then appends what changed, and reads back the state each time', async () => {
      // Enough for the sections below to stay shorter than the whole state.
      const { log, path, file, state } = writerOf(21);

      expect(await file.write(state)).toMatchObject({ kind: 'whole' });
      apply(state, log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-02')));
      expect(await file.write(state)).toMatchObject({ kind: 'changes' });
      expect(await restored(path)).toEqual([...serialize(state)]);
      apply(state, log.record(revise('p1', '2024-03-01', 5), at('2024-01-03')));
      apply(state, log.record(registerCompany('c22'), at('2024-01-03')));
      expect(await file.write(state)).toMatchObject({ kind: 'changes' });

      expect(await restored(path)).toEqual([...serialize(state)]);
      expect(await headers(path)).toEqual([
        { version: expect.any(Number), position: 21 },
        { version: expect.any(Number), position: 22, after: 21 },
        { version: expect.any(Number), position: 24, after: 22 },
      ]);
      // Another writer (a restart) starts with the whole state again.
      expect(await new CheckpointFile(path).write(state)).toMatchObject({ kind: 'whole' });
      expect(await headers(path)).toEqual([{ version: expect.any(Number), position: 24 }]);
    });

    it('writes the whole state again once the sections add up to more than it', async () => {
      const { log, path, file, state } = writerOf(1);
      const { length: whole } = await file.write(state);
      const kinds: string[] = [];
      let added = 0;
      for (let i = 2; added <= whole; i++) {
        apply(state, log.record(registerCompany(`c${i}`), at('2024-01-02')));
        const written = await file.write(state);
        kinds.push(written.kind);
        added += written.length;
      }
      apply(state, log.record(registerCompany('last'), at('2024-01-03')));
      kinds.push((await file.write(state)).kind);

      expect(kinds.slice(0, -1).every((kind) => kind === 'changes')).toBe(true);
      expect(kinds.at(-1)).toBe('whole');
      expect(await headers(path)).toHaveLength(1);
      expect(await restored(path)).toEqual([...serialize(state)]);
    });

    it('writes the whole state after a write that failed, and loses nothing of what changed before it', async () => {
      const { log, path, file, state } = writerOf(1);
      await file.write(state);
      apply(state, log.record(registerCompany('c2'), at('2024-01-02')));
      await rm(path);

      await expect(file.write(state)).rejects.toThrow(/ENOENT/);
      apply(state, log.record(registerCompany('c3'), at('2024-01-03')));
      expect(await file.write(state)).toMatchObject({ kind: 'whole' });
      expect(await restored(path)).toEqual([...serialize(rebuildFromEvents(log.events))]);
    });
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
