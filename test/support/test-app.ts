import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';

/**
 * e2e tests drive the real, built application (`npm run build` → dist/) in its own process over HTTP:
 * Nest 12 ships as ES modules, which jest on Node 20 cannot load in-process, and a child process is also
 * the most honest test of what `npm start` runs.
 */
export const API_ENTRY = path.resolve(__dirname, '../../dist/apps/api/src/main.js');

export type Role = 'integrator' | 'analyst' | 'auditor' | 'admin';

/** One fixed key per role for tests; real deployments configure or generate their own. */
export const TEST_KEYS: Readonly<Record<Role, string>> = {
  integrator: 'test-integrator-key-0123456789',
  analyst: 'test-analyst-key-0123456789abc',
  auditor: 'test-auditor-key-0123456789abc',
  admin: 'test-admin-key-0123456789abcdef',
};

export interface TestApp {
  url: string;
  dataDir: string;
  /** The EventStoreDB the app writes to; undefined on SQLite (the file in `dataDir`). */
  storeUrl: string | undefined;
  process: ChildProcess;
  /** Everything the app wrote to stdout and stderr so far (JSON log lines). */
  output: () => string;
  http: () => ReturnType<typeof request>;
  auth: (role: Role) => { Authorization: string };
  /** SIGTERM and wait for exit; the data directory stays (restart on it with `startTestApp(env, dataDir)`). */
  close: () => Promise<number | null>;
  /** SIGKILL, as a crash. */
  kill: () => Promise<void>;
  destroy: () => Promise<void>;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/**
 * Whether e2e suites run on the EventStoreDB emulator (`E2E_STORE=esdb-emulator`, the `e2e-esdb` jest
 * project) instead of SQLite; suites about SQLite itself (its file, restarts on a data directory) skip then.
 */
export const ON_ESDB = process.env.E2E_STORE === 'esdb-emulator';

/** On EventStoreDB, each data directory's emulator: a restart on the directory finds its log again. */
const emulators = new Map<string, EsdbEmulator>();

/**
 * Starts the built API on 127.0.0.1 with a fresh SQLite data directory (or the one given, to restart); with
 * `ON_ESDB` and no EVENT_STORE_URL given, on the data directory's own emulator, stopped by `destroy`.
 */
export const startTestApp = async (env: Record<string, string> = {}, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-e2e-'))): Promise<TestApp> => {
  if (!fs.existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run "npm run build" first (npm test does)`);
  let emulator: EsdbEmulator | undefined;
  if (ON_ESDB && env.EVENT_STORE_URL === undefined) {
    emulator = emulators.get(dataDir) ?? (await startEsdbEmulator());
    emulators.set(dataDir, emulator);
    env = { ...env, EVENT_STORE_URL: emulator.connectionString };
  }
  const port = await freePort();
  let output = '';
  const child = fork(API_ENTRY, [], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      API_KEYS: Object.entries(TEST_KEYS).map(([role, key]) => `${role}:${key}`).join(','),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      READ_YOUR_WRITES_TIMEOUT_MS: '3000',
      // Off unless a test is about rate limiting: suites send more than a minute's allowance per key.
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await emulator?.stop();
      throw new Error(`the API exited with ${child.exitCode} during start:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/health/live`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await emulator?.stop();
      throw new Error(`the API did not start within 30 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited(child);
  };
  return {
    url,
    dataDir,
    storeUrl: env.EVENT_STORE_URL,
    process: child,
    output: () => output,
    http: () => request(url),
    auth: (role) => ({ Authorization: `Bearer ${TEST_KEYS[role]}` }),
    close,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited(child);
    },
    destroy: async () => {
      await close();
      emulators.delete(dataDir);
      await emulator?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** Runs the built API to completion (for start-up failures): exit code and output. */
export const runApiToExit = async (env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> => {
  let output = '';
  const child = fork(API_ENTRY, [], { env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited(child);
  clearTimeout(timer);
  return { code, output };
};

/** A source as integrators cite it: the solid-state weekly of the seed articles. */
export const SOURCE = {
  publisher: 'Solid-state battery weekly',
  title: 'Solid-state battery weekly, 26-31 December 2025',
  publishedOn: '2026-01-02',
};
