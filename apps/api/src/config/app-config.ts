import os from 'node:os';
import path from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const ROLES = ['integrator', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ConfiguredKey {
  role: Role;
  key: string;
}

/** Everything the process reads from its environment, validated once at start. */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStoreUrl: string;
  /** Undefined: generate (or reuse) one key per role in the data directory. */
  apiKeys?: ConfiguredKey[];
  logLevel: LogLevel;
  seedDemo: boolean;
  /** Upper bound for `minPosition` waits. */
  readYourWritesTimeoutMs: number;
  /** Requests per minute per API key (per client IP without a known key); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Worker threads that validate large batches beside the event loop; 0 validates on it. */
  batchValidationThreads: number;
  /** How often the projection checkpoint is written while events arrive (see `ProjectionRunner`). */
  checkpointIntervalMs: number;
}

/** A variable with a value we cannot use; the message names it so the operator can fix it. */
export class InvalidConfiguration extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid configuration: ${variable} ${reason}`);
    this.name = 'InvalidConfiguration';
  }
}

const MIN_KEY_LENGTH = 16;

/** Ten requests a second per key: well above an integrator's loop, and batches carry 10 000 facts each. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;

const parsePort = (raw: string | undefined): number => {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) throw new InvalidConfiguration('PORT', `must be a port number 0-65535, got "${raw}"`);
  return port;
};

const parseEventStoreUrl = (raw: string | undefined, dataDir: string): string => {
  if (raw === undefined || raw === '') return `sqlite:${path.join(dataDir, 'events.db')}`;
  if (raw === 'memory:' || /^esdb(\+discover)?:\/\/.+/.test(raw)) return raw;
  if (/^sqlite:.+/.test(raw)) return raw;
  throw new InvalidConfiguration('EVENT_STORE_URL', 'must be sqlite:<path>, memory: or an esdb:// / esdb+discover:// connection string');
};

/** `role:key,role:key`; a key is never echoed back in an error. */
const parseApiKeys = (raw: string | undefined): ConfiguredKey[] | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const keys = raw.split(',').map((entry, index) => {
    const separator = entry.indexOf(':');
    const role = entry.slice(0, separator).trim();
    const key = entry.slice(separator + 1).trim();
    if (separator < 0 || !(ROLES as readonly string[]).includes(role)) {
      throw new InvalidConfiguration('API_KEYS', `entry ${index + 1} must be role:key with role one of ${ROLES.join(', ')}`);
    }
    if (key.length < MIN_KEY_LENGTH || /\s/.test(key)) {
      throw new InvalidConfiguration('API_KEYS', `entry ${index + 1} (${role}) needs a key of at least ${MIN_KEY_LENGTH} characters without spaces`);
    }
    return { role: role as Role, key };
  });
  if (new Set(keys.map((k) => k.key)).size !== keys.length) throw new InvalidConfiguration('API_KEYS', 'lists the same key twice');
  return keys;
};

const parseBoolean = (variable: string, raw: string | undefined, fallback: boolean): boolean => {
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
  throw new InvalidConfiguration(variable, `must be true or false, got "${raw}"`);
};

const parsePositiveInt = (variable: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new InvalidConfiguration(variable, `must be a positive whole number, got "${raw}"`);
  return Number(raw);
};

const parseNonNegativeInt = (variable: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new InvalidConfiguration(variable, `must be a whole number (0 turns it off), got "${raw}"`);
  return Number(raw);
};

/** One core stays with the event loop; more than four workers would wait on it anyway. */
export const defaultBatchValidationThreads = (cores = os.availableParallelism()): number => Math.min(4, Math.max(0, cores - 1));

/** Each worker is a V8 instance of its own (tens of MB): a typo must not start hundreds. */
const MAX_BATCH_VALIDATION_THREADS = 64;

export const parseBatchValidationThreads = (raw: string | undefined): number => {
  const threads = parseNonNegativeInt('BATCH_VALIDATION_THREADS', raw, defaultBatchValidationThreads());
  if (threads > MAX_BATCH_VALIDATION_THREADS) throw new InvalidConfiguration('BATCH_VALIDATION_THREADS', `must be at most ${MAX_BATCH_VALIDATION_THREADS}, got "${raw}"`);
  return threads;
};

/** A whole number of milliseconds from `min` to `max` in `env[variable]`, or `fallback` when it is unset or empty. */
export const parseMilliseconds = (env: NodeJS.ProcessEnv, variable: string, fallback: number, min: number, max: number): number => {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new InvalidConfiguration(variable, `must be a whole number of milliseconds from ${min} to ${max}, got "${raw}"`);
  }
  return value;
};

/** Reads and validates the whole configuration; throws InvalidConfiguration naming the first bad variable. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const dataDir = path.resolve(env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : './data');
  const logLevel = (env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new InvalidConfiguration('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port: parsePort(env.PORT),
    host: env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0',
    dataDir,
    eventStoreUrl: parseEventStoreUrl(env.EVENT_STORE_URL, dataDir),
    apiKeys: parseApiKeys(env.API_KEYS),
    logLevel,
    seedDemo: parseBoolean('SEED_DEMO', env.SEED_DEMO, true),
    readYourWritesTimeoutMs: parsePositiveInt('READ_YOUR_WRITES_TIMEOUT_MS', env.READ_YOUR_WRITES_TIMEOUT_MS, 5000),
    rateLimitPerMinute: parseNonNegativeInt('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, DEFAULT_RATE_LIMIT_PER_MINUTE),
    batchValidationThreads: parseBatchValidationThreads(env.BATCH_VALIDATION_THREADS),
    // Checkpoints are mostly sections of what changed: often is cheap, but each one is an fsync.
    checkpointIntervalMs: parseMilliseconds(env, 'CHECKPOINT_INTERVAL_MS', 5000, 100, 3_600_000),
  };
};

export const APP_CONFIG = Symbol('APP_CONFIG');
