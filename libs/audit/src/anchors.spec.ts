import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { NO_STREAM, StoredEvent } from '@bsc/event-store';
import { AnchorPositionOutOfRange, computeAnchor, verifyAnchor } from './anchors';
import { GENESIS_HASH, sealEvent } from './hash-chain';
import { HandBuiltLog, readOnlyStore } from './testing/hand-built-log';

const history = (): HandBuiltLog => {
  const log = new HandBuiltLog();
  log.record('company-xinjie', 'CompanyRegistered', { companyId: 'xinjie' });
  log.record('plant-xinjie-2gwh', 'CapacityAnnounced', { plantId: 'xinjie-2gwh', plannedCapacityGwh: 2 });
  log.record('plant-xinjie-2gwh', 'PlantCommissioned', { plantId: 'xinjie-2gwh', capacityGwh: 2 });
  log.record('company-xinjie', 'FinancingRoundClosed', { roundId: 'b' });
  return log;
};

/** Every event of `streamId` with its data changed and the chain recomputed, as only the store's owner could. */
const rewriteChain = (events: StoredEvent[], streamId: string): StoredEvent[] => {
  let prevHash = GENESIS_HASH;
  return events.map((event) => {
    if (event.streamId !== streamId) return event;
    const data = { ...(event.data as object), rewritten: true };
    const metadata = sealEvent({ ...event, data, metadata: { ...event.metadata, prevHash } });
    prevHash = metadata.hash;
    return { ...event, data, metadata };
  });
};

describe('anchors', () => {
  it('defaults to the head and is a SHA-256 hex digest', async () => {
    const anchor = await computeAnchor(history().store());

    expect(anchor.position).toBe(4);
    expect(anchor.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies against the same history, and stays valid as the log grows', async () => {
    const log = history();
    const anchor = await computeAnchor(log.store(), 3);
    log.record('plant-xinjie-2gwh', 'PlantCapacityRevised', { plannedCapacityGwh: 4 });

    expect(await verifyAnchor(log.store(), anchor)).toEqual({ ok: true, position: 3, digest: anchor.digest, expectedDigest: anchor.digest });
    expect((await computeAnchor(log.store())).digest).not.toBe(anchor.digest);
  });

  it('fails once a stream is rewritten consistently end to end', async () => {
    const log = history();
    const anchor = await computeAnchor(log.store());

    const verification = await verifyAnchor(readOnlyStore(rewriteChain(log.events, 'plant-xinjie-2gwh')), anchor);

    expect(verification.ok).toBe(false);
    expect(verification.expectedDigest).not.toBe(anchor.digest);
  });

  it('fails once a stream loses its last event, which the chain alone cannot show', async () => {
    const log = history();
    const anchor = await computeAnchor(log.store(), 3);

    expect((await verifyAnchor(readOnlyStore(log.events.filter((event) => event.position !== 3)), anchor)).ok).toBe(false);
  });

  it('fails, without throwing, for a position the log no longer reaches', async () => {
    const log = history();
    const anchor = await computeAnchor(log.store());

    expect(await verifyAnchor(readOnlyStore(log.events.slice(0, 2)), anchor)).toEqual({ ok: false, position: 4, digest: anchor.digest, expectedDigest: null });
  });

  it('refuses to compute beyond the head, and digests the empty prefix', async () => {
    const store = new MemoryEventStore();
    await expect(computeAnchor(store, 1)).rejects.toBeInstanceOf(AnchorPositionOutOfRange);
    const empty = await computeAnchor(store);
    await store.append('a', [{ eventId: 'e1', type: 'Tested', data: {}, metadata: { hash: 'h' } }], { expectedRevision: NO_STREAM });

    expect(empty.position).toBe(0);
    expect((await verifyAnchor(store, empty)).ok).toBe(true);
  });
});
