import { parseMilliseconds } from '../config/app-config';

/** How the live feed paces itself; read once at start from the environment. */
export interface LiveFeedConfig {
  /** Idle connections get a comment this often, so proxies and clients keep them open. */
  heartbeatMs: number;
  /** Bytes a client may leave unread in the server's buffer before it must catch up. */
  maxBufferedBytes: number;
  /** How long a client over `maxBufferedBytes` has to read it down before it is disconnected. */
  drainTimeoutMs: number;
}

export const LIVE_FEED_CONFIG = Symbol('LIVE_FEED_CONFIG');

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const MAX_BUFFERED_BYTES = 1024 * 1024;
export const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

/**
 * `LIVE_HEARTBEAT_MS` (default 15 000; 10 ms to 1 h) and `LIVE_DRAIN_TIMEOUT_MS` (default 5 000; 10 ms to
 * 1 min). Throws InvalidConfiguration naming the variable, which stops the start.
 */
export const readLiveFeedConfig = (env: NodeJS.ProcessEnv = process.env): LiveFeedConfig => ({
  heartbeatMs: parseMilliseconds(env, 'LIVE_HEARTBEAT_MS', DEFAULT_HEARTBEAT_MS, 10, 3_600_000),
  maxBufferedBytes: MAX_BUFFERED_BYTES,
  drainTimeoutMs: parseMilliseconds(env, 'LIVE_DRAIN_TIMEOUT_MS', DEFAULT_DRAIN_TIMEOUT_MS, 10, 60_000),
});
