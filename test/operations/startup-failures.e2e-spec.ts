import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, runApiToExit, TEST_KEYS } from '../support/test-app';

/** Configuration and storage the app cannot use stop the start with a non-zero exit and a clear message. */
const API_KEYS = Object.entries(TEST_KEYS).map(([role, key]) => `${role}:${key}`).join(',');
const dirs: string[] = [];

const freshDir = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-ops-'));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('invalid configuration', () => {
  const cases: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['EVENT_STORE_URL', 'ftp://x'],
    ['API_KEYS', 'boss:short'],
    ['API_KEYS', 'integrator:short'],
    ['LOG_LEVEL', 'loud'],
    ['BATCH_VALIDATION_THREADS', 'two'],
    ['BATCH_VALIDATION_THREADS', '65'],
  ];

  it.each(cases)('%s=%s stops the process with a non-zero exit naming the variable', async (variable, value) => {
    const env = { DATA_DIR: freshDir(), PORT: String(await freePort()), API_KEYS, [variable]: value };
    const { code, output } = await runApiToExit(env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toContain(variable);
  }, 30_000);

  it('an invalid API key is never echoed in the message', async () => {
    const secret = 'tiny-secret';
    const { code, output } = await runApiToExit({ DATA_DIR: freshDir(), PORT: String(await freePort()), API_KEYS: `integrator:${secret}` });
    expect(code).not.toBe(0);
    expect(output).toContain('API_KEYS');
    expect(output).not.toContain(secret);
  }, 30_000);
});

describe('a corrupted database file', () => {
  it('stops the start with a clear error and leaves the file byte-for-byte unchanged', async () => {
    const dataDir = freshDir();
    const file = path.join(dataDir, 'events.db');
    const garbage = randomBytes(64 * 1024);
    fs.writeFileSync(file, garbage);
    const { code, output } = await runApiToExit({ DATA_DIR: dataDir, PORT: String(await freePort()), API_KEYS });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toMatch(/events\.db|corrupt|not a database/i);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  }, 30_000);
});
