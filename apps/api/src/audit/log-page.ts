import { StoredEvent } from '@bsc/event-store';

export interface LogPage {
  events: StoredEvent[];
  /** Where the next page starts: the position of an event not yet looked at; null at the end of the log. */
  nextPosition: number | null;
}

/**
 * One page of the log: up to `limit` events that `keep` accepts, looking at no more than `scanBudget`
 * events, so no request scans an unbounded stretch of the log when filters leave most of it out.
 * `nextPosition` is always the position of an event read, never one computed: on EventStoreDB a read
 * cannot start inside a record, and a position + 1 is one.
 *
 * @example
 *   const { events, nextPosition } = await logPage(store.readAll({ fromPosition }), (event) => event.type === 'PlantCommissioned', 100, 20_000);
 */
export const logPage = async (candidates: AsyncIterable<StoredEvent>, keep: (event: StoredEvent) => boolean, limit: number, scanBudget: number): Promise<LogPage> => {
  const events: StoredEvent[] = [];
  let scanned = 0;
  for await (const event of candidates) {
    // A match beyond a full page, or the first event past the budget: the next page starts at it.
    if (scanned >= scanBudget) return { events, nextPosition: event.position };
    scanned++;
    if (!keep(event)) continue;
    if (events.length === limit) return { events, nextPosition: event.position };
    events.push(event);
  }
  return { events, nextPosition: null };
};
