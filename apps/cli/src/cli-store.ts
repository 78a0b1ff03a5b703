import fs from 'node:fs';
import { EventStore, StoreCorrupted, StoreUnavailable } from '@bsc/event-store';
import { openEventStore, redactStoreUrl } from '../../api/src/store/open-event-store';
import { CliFailure, EXIT, usageError } from './exit-codes';

export const DEFAULT_STORE_URL = 'sqlite:./data/events.db';

/** `--store` when given, else `EVENT_STORE_URL`, else the API's default file. */
export const storeUrlFrom = (option: string | undefined): string => option ?? process.env.EVENT_STORE_URL ?? DEFAULT_STORE_URL;

const SUPPORTED = /^(sqlite:.+|esdb(\+discover)?:\/\/.+)$/;

/** What each command does with a store decides whether a missing SQLite file may be created. */
export type StoreAccess = 'read' | 'write';

export interface OpenedStore {
  store: EventStore;
  /** Safe to print: credentials masked. */
  label: string;
}

/**
 * Opens a store for a command and proves it answers. A SQLite file that does not exist is an error for
 * reads (a typo must not silently export an empty log, nor leave an empty file behind); writes create it.
 */
export const openCliStore = async (url: string, access: StoreAccess): Promise<OpenedStore> => {
  const label = redactStoreUrl(url);
  if (url === 'memory:') throw usageError('memory: holds nothing outside one process; give a sqlite: or esdb:// URL');
  if (!SUPPORTED.test(url)) throw usageError(`unsupported store URL ${label}: use sqlite:<path>, esdb://… or esdb+discover://…`);
  if (access === 'read' && url.startsWith('sqlite:') && !fs.existsSync(url.slice('sqlite:'.length))) {
    throw new CliFailure(EXIT.unavailable, `no SQLite store at ${label}`);
  }
  let store: EventStore;
  try {
    store = openEventStore(url);
    await store.ping();
  } catch (error) {
    throw storeFailure(error, label);
  }
  return { store, label };
};

/** Store errors become exit 3 with a message naming the (redacted) store; anything else is rethrown. */
export const storeFailure = (error: unknown, label: string): unknown => {
  if (error instanceof StoreUnavailable || error instanceof StoreCorrupted) {
    return new CliFailure(EXIT.unavailable, `${label}: ${error.message}`);
  }
  return error;
};

/** Runs `work` with an open store and closes it however `work` ends. */
export const withStore = async <T>(url: string, access: StoreAccess, work: (opened: OpenedStore) => Promise<T>): Promise<T> => {
  const opened = await openCliStore(url, access);
  try {
    return await work(opened);
  } catch (error) {
    throw storeFailure(error, opened.label);
  } finally {
    await opened.store.close().catch(() => undefined);
  }
};
