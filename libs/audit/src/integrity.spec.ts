import { randomUUID } from 'node:crypto';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { ANY, StoredEvent } from '@bsc/event-store';
import { GENESIS_HASH, hashEvent, sealEvent } from './hash-chain';
import { verifyIntegrity } from './integrity';
import { HandBuiltLog, readOnlyStore } from './testing/hand-built-log';

const plantHistory = (): HandBuiltLog => {
  const log = new HandBuiltLog();
  log.record('company-xinjie', 'CompanyRegistered', { companyId: 'xinjie', name: 'Xinjie Energy', headquartersCountry: 'CN' });
  log.record('plant-xinjie-2gwh', 'CapacityAnnounced', { plantId: 'xinjie-2gwh', companyId: 'xinjie', plannedCapacityGwh: 2 });
  log.record('plant-xinjie-2gwh', 'PlantConstructionStarted', { plantId: 'xinjie-2gwh', startedOn: '2025-03-01' });
  log.record('company-xinjie', 'CompanyRenamed', { companyId: 'xinjie', name: 'Xinjie New Energy' });
  log.record('plant-xinjie-2gwh', 'PlantCommissioned', { plantId: 'xinjie-2gwh', commissionedOn: '2025-12-28', capacityGwh: 2 });
  log.record('plant-xinjie-2gwh', 'PlantCapacityRevised', { plantId: 'xinjie-2gwh', plannedCapacityGwh: 4, revisedOn: '2026-01-01' });
  return log;
};

/** The stored events with one replaced, as an edit of the database file would leave them. */
const withReplaced = (events: StoredEvent[], position: number, change: (event: StoredEvent) => StoredEvent): StoredEvent[] =>
  events.map((event) => (event.position === position ? change(structuredClone(event)) : event));

describe('verifyIntegrity', () => {
  it('passes a clean log, counting streams and events', async () => {
    const report = await verifyIntegrity(plantHistory().store());

    expect(report).toEqual({ ok: true, streamsChecked: 2, eventsChecked: 6, failures: [] });
  });

  it('passes a clean log written through the memory store, and an empty one', async () => {
    const store = new MemoryEventStore();
    const log = plantHistory();
    for (const event of log.events) {
      await store.append(event.streamId, [{ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }], { expectedRevision: ANY });
    }

    expect((await verifyIntegrity(store)).ok).toBe(true);
    expect(await verifyIntegrity(new MemoryEventStore())).toEqual({ ok: true, streamsChecked: 0, eventsChecked: 0, failures: [] });
  });

  it('finds a changed data field, and only there: the chain after it still links to the stored hash', async () => {
    const log = plantHistory();
    const tampered = withReplaced(log.events, 5, (event) => ({ ...event, data: { ...(event.data as object), capacityGwh: 20 } }));

    const report = await verifyIntegrity(readOnlyStore(tampered));

    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([{ streamId: 'plant-xinjie-2gwh', revision: 2, eventId: log.events[4].eventId, reason: 'hash mismatch: content changed' }]);
  });

  it.each([
    ['type', (event: StoredEvent) => ({ ...event, type: 'PlantCancelled' })],
    ['recordedBy', (event: StoredEvent) => ({ ...event, metadata: { ...event.metadata, recordedBy: 'admin-someone' } })],
    ['source', (event: StoredEvent) => ({ ...event, metadata: { ...event.metadata, source: { publisher: 'Other' } } })],
  ])('finds a changed %s', async (_field, change) => {
    const report = await verifyIntegrity(readOnlyStore(withReplaced(plantHistory().events, 3, change)));

    expect(report.failures.map((failure) => [failure.revision, failure.reason])).toEqual([[1, 'hash mismatch: content changed']]);
  });

  it('finds a deleted event as a revision gap', async () => {
    const log = plantHistory();
    const withoutOne = log.events.filter((event) => event.position !== 3);

    const report = await verifyIntegrity(readOnlyStore(withoutOne));

    expect(report.failures).toEqual([
      { streamId: 'plant-xinjie-2gwh', revision: 2, eventId: log.events[4].eventId, reason: 'revision gap: 1 missing before revision 2' },
    ]);
  });

  it('finds a deleted first event', async () => {
    const report = await verifyIntegrity(readOnlyStore(plantHistory().events.filter((event) => event.position !== 1)));

    expect(report.failures.map((failure) => [failure.streamId, failure.reason])).toEqual([['company-xinjie', 'revision gap: 1 missing before revision 1']]);
  });

  it('finds two events of a stream whose contents were swapped', async () => {
    const log = plantHistory();
    const [second, third] = [log.events[2], log.events[4]];
    const swapped = log.events.map((event) => {
      if (event.position === second.position) return { ...event, type: third.type, data: third.data, metadata: third.metadata };
      if (event.position === third.position) return { ...event, type: second.type, data: second.data, metadata: second.metadata };
      return event;
    });

    const report = await verifyIntegrity(readOnlyStore(swapped));

    expect(report.ok).toBe(false);
    expect(new Set(report.failures.map((failure) => failure.revision))).toEqual(new Set([1, 2, 3]));
    expect(report.failures.map((failure) => failure.reason)).toContain('prevHash does not match the previous event');
    expect(report.failures.map((failure) => failure.reason)).toContain('hash mismatch: content changed');
  });

  it('finds a forged first link and missing chain fields', async () => {
    const log = new HandBuiltLog();
    const first = log.record('standard-gb-ssb', 'StandardRegistered', { standardId: 'gb-ssb' });
    const forgedLink = { ...first, metadata: { ...first.metadata, prevHash: 'f'.repeat(64) } };
    const forged = { ...forgedLink, metadata: { ...forgedLink.metadata, hash: hashEvent(forgedLink) } };
    const unchained = { ...log.record('standard-gb-ssb', 'StandardStageChanged', { stage: 'approved' }), metadata: { schemaVersion: 1 } };

    const report = await verifyIntegrity(readOnlyStore([forged, unchained]));

    expect(report.failures.map((failure) => [failure.revision, failure.reason])).toEqual([
      [0, 'prevHash is not the genesis hash at revision 0'],
      [1, 'prevHash missing'],
      [1, 'hash missing'],
    ]);
  });

  it('finds a repeated revision and positions that go backwards', async () => {
    const log = plantHistory();
    const repeat = { ...log.events[1], eventId: randomUUID(), position: 7 };
    const backwards = { ...log.events[5], position: 2 };

    const report = await verifyIntegrity(readOnlyStore([...log.events.slice(0, 5), repeat, backwards]));

    expect(report.failures.map((failure) => failure.reason)).toEqual(
      expect.arrayContaining([
        'revision 0 repeated or out of order: expected revision 3',
        'position 2 does not come after position 7: the global log goes backwards or repeats',
      ]),
    );
  });

  it('cannot see a stream rewritten consistently: that takes an anchor', async () => {
    const log = plantHistory();
    let prevHash = GENESIS_HASH;
    const rewritten = log.events.map((event) => {
      if (event.streamId !== 'plant-xinjie-2gwh') return event;
      const data = event.type === 'CapacityAnnounced' ? { ...(event.data as object), plannedCapacityGwh: 200 } : event.data;
      const metadata = sealEvent({ ...event, data, metadata: { ...event.metadata, prevHash } });
      prevHash = metadata.hash;
      return { ...event, data, metadata };
    });

    expect((await verifyIntegrity(readOnlyStore(rewritten))).ok).toBe(true);
  });

  it('stops at upToPosition and reports progress per page', async () => {
    const log = plantHistory();
    const progress: number[] = [];
    const tampered = withReplaced(log.events, 6, (event) => ({ ...event, data: {} }));

    const report = await verifyIntegrity(readOnlyStore(tampered), { upToPosition: 5, pageSize: 2, onProgress: (checked) => progress.push(checked) });

    expect(report).toEqual({ ok: true, streamsChecked: 2, eventsChecked: 5, failures: [] });
    expect(progress).toEqual([2, 4, 5]);
  });
});
