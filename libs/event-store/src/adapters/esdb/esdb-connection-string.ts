/** The client's default (10 s) would keep a request waiting long after the server is gone. */
export const DEFAULT_DEADLINE_MS = 5_000;

/**
 * What the adapter sets unless the connection string says otherwise: short deadlines and quick
 * discovery so an unreachable server is reported within seconds, and keepalive pings so a silently
 * dropped connection is noticed (the client then reconnects on the next call).
 */
const ADAPTER_DEFAULTS: Readonly<Record<string, string>> = {
  defaultDeadline: String(DEFAULT_DEADLINE_MS),
  keepAliveInterval: '10000',
  keepAliveTimeout: '5000',
  maxDiscoverAttempts: '3',
  gossipTimeout: '2',
};

const SUPPORTED_SCHEMES = ['esdb://', 'esdb+discover://'];

/** The client matches option names case-insensitively and ignores `-` and `_`; so do we. */
const flatten = (name: string): string => name.trim().toLowerCase().replace(/[_-]/g, '');

/**
 * Adds the adapter's defaults to an `esdb://` or `esdb+discover://` connection string, keeping every
 * option the caller already set.
 *
 * @example
 *   withAdapterDefaults('esdb://localhost:2113?tls=false')
 *   // 'esdb://localhost:2113?tls=false&defaultDeadline=5000&keepAliveInterval=10000&…'
 */
export function withAdapterDefaults(connectionString: string): string {
  const trimmed = connectionString.trim();
  if (!SUPPORTED_SCHEMES.some((scheme) => trimmed.toLowerCase().startsWith(scheme))) {
    throw new RangeError(`an EventStoreDB connection string starts with ${SUPPORTED_SCHEMES.join(' or ')}`);
  }
  const queryStart = trimmed.indexOf('?');
  const query = queryStart === -1 ? '' : trimmed.slice(queryStart + 1);
  const given = new Set(
    query
      .split('&')
      .filter((pair) => pair.length > 0)
      .map((pair) => flatten(pair.split('=')[0])),
  );
  const missing = Object.entries(ADAPTER_DEFAULTS)
    .filter(([name]) => !given.has(flatten(name)))
    .map(([name, value]) => `${name}=${value}`);
  if (missing.length === 0) return trimmed;
  const separator = queryStart === -1 ? '?' : trimmed.endsWith('?') || trimmed.endsWith('&') ? '' : '&';
  return `${trimmed}${separator}${missing.join('&')}`;
}
