import { runEventStoreContract } from '../../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/**
 * The contract against a real EventStoreDB (e.g. the compose file in `docker/`), when
 * ESDB_TEST_CONNECTION_STRING names one: `esdb://localhost:2113?tls=false`. The suite only writes
 * streams and types of its own, so a shared server is fine; nothing is deleted afterwards.
 */
const connectionString = process.env.ESDB_TEST_CONNECTION_STRING;

if (connectionString) {
  runEventStoreContract('esdb (real EventStoreDB server)', async () => ({
    store: EsdbEventStore.connect(connectionString),
    cleanup: async () => undefined,
  }));
} else {
  describe('EventStore contract: esdb (real EventStoreDB server)', () => {
    it('runs only when ESDB_TEST_CONNECTION_STRING is set', () => {
      console.warn('ESDB_TEST_CONNECTION_STRING not set: real EventStoreDB contract run skipped');
      expect(connectionString).toBeFalsy();
    });
  });
}
