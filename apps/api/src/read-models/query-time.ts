import { QueryTime } from '@bsc/projections';

/**
 * Both clocks of one request, defaults filled in once (`asOf` today in UTC, `knownAt` now), so the echo
 * in the answer is exactly what was computed and can be replayed later.
 */
export const resolveQueryTime = (query: { asOf?: string; knownAt?: string }, now: Date = new Date()): QueryTime => ({
  asOf: query.asOf ?? now.toISOString().slice(0, 10),
  knownAt: query.knownAt ?? now.toISOString(),
});
