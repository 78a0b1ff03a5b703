import { EventStore } from '@bsc/event-store';
import { EsdbEventStore } from '@bsc/event-store/adapters/esdb/esdb-event-store';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { SqliteEventStore } from '@bsc/event-store/adapters/sqlite/sqlite-event-store';

/** Picks the adapter from `EVENT_STORE_URL` (already validated by the config). */
export const openEventStore = (url: string): EventStore => {
  if (url === 'memory:') return new MemoryEventStore();
  if (url.startsWith('sqlite:')) return SqliteEventStore.open(url.slice('sqlite:'.length));
  return EsdbEventStore.connect(url);
};

/** The URL as it may be logged: credentials in an EventStoreDB connection string are masked. */
export const redactStoreUrl = (url: string): string => url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
