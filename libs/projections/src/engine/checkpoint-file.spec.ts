import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file';
import { serialize } from './read-model-state';
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
});
