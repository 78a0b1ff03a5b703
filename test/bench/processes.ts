import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { LoadResult, LoadSpec } from './load-worker';

const BUILT = path.resolve(__dirname, '../../dist');
const SNAPSHOT = path.resolve(__dirname, '.data/api-build');
/** The runner works on a snapshot of dist/: a rebuild by someone else mid-run must not swap the API under it. */
export const API_ENTRY = path.join(SNAPSHOT, 'apps/api/src/main.js');

export const snapshotBuild = async (): Promise<void> => {
  const deadline = Date.now() + 120_000;
  while (!fs.existsSync(path.join(BUILT, 'apps/api/src/main.js'))) {
    if (Date.now() > deadline) throw new Error(`${BUILT} has no built API: run "npm run build" (npm run bench does)`);
    await sleep(1000);
  }
  await sleep(2000);
  fs.rmSync(SNAPSHOT, { recursive: true, force: true });
  fs.cpSync(BUILT, SNAPSHOT, { recursive: true });
};

export const BENCH_KEYS = {
  integrator: 'bench-integrator-key-0123456789',
  analyst: 'bench-analyst-key-0123456789abc',
  admin: 'bench-admin-key-0123456789abcdef',
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface Server {
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn until /health/ready said the projections had caught up (or /health/live for non-API servers). */
  readyAfterMs: number;
  stop: () => Promise<void>;
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

const serve = async (entry: string, env: Record<string, string>, readyPath: string, execArgv: string[], timeoutMs: number): Promise<Server> => {
  const port = await freePort();
  const started = Date.now();
  let output = '';
  const child = fork(entry, [], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
    execArgv,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exited(child);
    clearTimeout(timer);
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      if (response.ok) {
        const body = (await response.json()) as { projections?: { lag?: number } };
        if (body.projections === undefined || body.projections.lag === 0) break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`${entry} was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await sleep(50);
  }
  return { url, child, readyAfterMs: Date.now() - started, stop };
};

export const startApi = (dataDir: string, extraEnv: Record<string, string> = {}): Promise<Server> =>
  serve(
    API_ENTRY,
    {
      DATA_DIR: dataDir,
      API_KEYS: Object.entries(BENCH_KEYS).map(([role, key]) => `${role}:${key}`).join(','),
      LOG_LEVEL: 'error',
      SEED_DEMO: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000000',
      READ_YOUR_WRITES_TIMEOUT_MS: '10000',
      ...extraEnv,
    },
    '/health/ready',
    [],
    15 * 60_000,
  );

/** Plain Fastify, in TypeScript like the runner: the child inherits ts-node's `-r` flags. */
export const startFastifyHello = (): Promise<Server> => serve(path.join(__dirname, 'fastify-hello.ts'), { TS_NODE_TRANSPILE_ONLY: '1' }, '/', process.execArgv, 60_000);

export const runLoad = (spec: LoadSpec): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load-worker.ts'), [], { execArgv: process.execArgv, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } });
    child.once('message', (message: { result?: LoadResult; error?: string }) => (message.result ? resolve(message.result) : reject(new Error(message.error))));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load worker exited with ${code}`));
    });
    child.send(spec);
  });

/** Resident set size of a process, from /proc (Linux), in MB. */
export const residentMb = (pid: number | undefined): number => {
  if (pid === undefined) return Number.NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
};

/** CPU time (user + system) a process has used so far, from /proc (Linux), in seconds. */
export const cpuSeconds = (pid: number | undefined): number => {
  if (pid === undefined) return Number.NaN;
  // Fields after the command name (which may hold spaces); utime and stime are the 12th and 13th, in clock ticks.
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
};

/**
 * Waits until a server has finished the work it starts on its own after /health/ready (at a million events:
 * ~6 s of building the route index in the background and collecting what restoring the checkpoint left,
 * 1.2–1.6 cores busy with no request in flight, 2026-12-07): its CPU below 10 % of a core over two
 * consecutive half seconds, or `maxMs` at most. Returns the milliseconds waited.
 */
export const settled = async (pid: number | undefined, maxMs = 60_000): Promise<number> => {
  const started = Date.now();
  let quiet = 0;
  let last = cpuSeconds(pid);
  while (quiet < 2 && Date.now() - started < maxMs) {
    await sleep(500);
    const now = cpuSeconds(pid);
    quiet = now - last < 0.05 ? quiet + 1 : 0;
    last = now;
  }
  return Date.now() - started;
};

/** USER_HZ, which Linux fixes at 100 for /proc on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
