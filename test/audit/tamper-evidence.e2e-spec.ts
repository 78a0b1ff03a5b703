import Database from 'better-sqlite3';
import path from 'node:path';
import { GENESIS_HASH, hashEvent } from '@bsc/audit';
import { announcementBody, capacityRevisionBody, companyBody, constructionStartBody, uniqueId } from '../support/seed-bodies';
import { ON_ESDB, TestApp, startTestApp } from '../support/test-app';
import { Recorded, recordOne } from '../read-models/seed-facts';

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

interface Failure {
  streamId: string;
  revision: number;
  eventId: string;
  reason: string;
}

jest.setTimeout(120_000);

/** Edits the stopped app's database file directly, as someone with access to the disk could. */
const tamper = (app: TestApp, edit: (db: Database.Database) => void): void => {
  const db = new Database(path.join(app.dataDir, 'events.db'));
  try {
    db.transaction(() => edit(db))();
  } finally {
    db.close();
  }
};

const rowsOf = (db: Database.Database, streamId: string): EventRow[] =>
  db.prepare('SELECT position, stream_id, revision, event_id, type, data, metadata FROM events WHERE stream_id = ? ORDER BY revision').all(streamId) as EventRow[];

/** A plant stream of three events: announcement, construction start, capacity revision. */
const plantWithHistory = async (app: TestApp, companyId: string): Promise<{ streamId: string; events: Recorded[] }> => {
  const plantId = uniqueId('plant');
  const events = [
    await recordOne(app, '/v1/plants/capacity-announcements', announcementBody(plantId, companyId)),
    await recordOne(app, `/v1/plants/${plantId}/construction-starts`, constructionStartBody()),
    await recordOne(app, `/v1/plants/${plantId}/capacity-revisions`, capacityRevisionBody()),
  ];
  return { streamId: `plant-${plantId}`, events };
};

// Tampering is done to the SQLite file itself; EventStoreDB's log is not ours to edit.
(ON_ESDB ? describe.skip : describe)('tamper evidence', () => {
  let app: TestApp;
  let changed: { streamId: string; events: Recorded[] };
  let deleted: { streamId: string; events: Recorded[] };
  let swapped: { streamId: string; events: Recorded[] };
  let rewritten: { streamId: string; events: Recorded[] };
  let savedAnchor: { position: number; digest: string };
  let earlyAnchor: { position: number; digest: string };

  const integrity = async () => {
    const response = await app.http().get('/v1/audit/integrity').set(app.auth('auditor'));
    expect(response.status).toBe(200);
    return response.body as { ok: boolean; streamsChecked: number; eventsChecked: number; failures: Failure[] };
  };
  const verify = (anchor: { position: number; digest: string }) => app.http().post('/v1/audit/anchors/verify').set(app.auth('auditor')).send(anchor);
  const restart = async (edit: (db: Database.Database) => void) => {
    await app.close();
    tamper(app, edit);
    app = await startTestApp({}, app.dataDir);
  };

  beforeAll(async () => {
    app = await startTestApp();
    const companyId = uniqueId('xinjie');
    await recordOne(app, '/v1/companies', companyBody(companyId));
    const early = await app.http().get('/v1/audit/anchors').set(app.auth('auditor'));
    earlyAnchor = early.body;
    changed = await plantWithHistory(app, companyId);
    deleted = await plantWithHistory(app, companyId);
    swapped = await plantWithHistory(app, companyId);
    rewritten = await plantWithHistory(app, companyId);
    // Written with an idempotency key: its record is chained too.
    await app.http().post('/v1/companies').set(app.auth('integrator')).set('Idempotency-Key', uniqueId('key')).send(companyBody(uniqueId('other')));
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('finds every chain intact on a clean store, idempotency records included', async () => {
    const report = await integrity();

    expect(report).toEqual({ ok: true, streamsChecked: 7, eventsChecked: 15, failures: [] });
    const anchor = await app.http().get('/v1/audit/anchors').set(app.auth('auditor'));
    expect(anchor.body).toEqual({ position: 15, digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    savedAnchor = anchor.body;
    expect((await verify(savedAnchor)).body).toEqual({ ok: true, position: 15, digest: savedAnchor.digest, expectedDigest: savedAnchor.digest });
    expect((await verify(earlyAnchor)).body.ok).toBe(true);
  });

  it('refuses an anchor beyond the head and a malformed one', async () => {
    expect((await app.http().get('/v1/audit/anchors').query({ position: 16 }).set(app.auth('auditor'))).status).toBe(400);
    const malformed = await verify({ position: -1, digest: 'abc' } as never);
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['digest', 'position']);
  });

  it('a stream rewritten consistently passes the chain check, but not a saved anchor', async () => {
    await restart((db) => {
      let prevHash = GENESIS_HASH;
      for (const row of rowsOf(db, rewritten.streamId)) {
        const data = JSON.parse(row.data);
        if (row.type === 'CapacityAnnounced') data.plannedCapacityGwh = 200;
        const metadata = { ...JSON.parse(row.metadata), prevHash };
        metadata.hash = hashEvent({ eventId: row.event_id, streamId: row.stream_id, type: row.type, data, metadata });
        prevHash = metadata.hash;
        db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify(metadata), row.position);
      }
    });

    expect(await integrity()).toMatchObject({ ok: true, failures: [] });
    const verification = await verify(savedAnchor);
    expect(verification.status).toBe(200);
    expect(verification.body).toMatchObject({ ok: false, position: 15, digest: savedAnchor.digest });
    expect(verification.body.expectedDigest).not.toBe(savedAnchor.digest);
    // An anchor taken before the rewritten stream existed is untouched by it.
    expect((await verify(earlyAnchor)).body.ok).toBe(true);
  });

  it('finds a changed data field, a deleted event and two swapped events, each where it is', async () => {
    await restart((db) => {
      const [, started] = rowsOf(db, changed.streamId);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...JSON.parse(started.data), startedOn: '2024-01-01' }), started.position);

      db.prepare('DELETE FROM events WHERE position = ?').run(deleted.events[1].position);

      const [, second, third] = rowsOf(db, swapped.streamId);
      const update = db.prepare('UPDATE events SET type = ?, data = ?, metadata = ? WHERE position = ?');
      update.run(third.type, third.data, third.metadata, second.position);
      update.run(second.type, second.data, second.metadata, third.position);
    });

    const report = await integrity();
    const failuresOf = (streamId: string) => report.failures.filter((failure) => failure.streamId === streamId).map(({ revision, eventId, reason }) => ({ revision, eventId, reason }));

    expect(report.ok).toBe(false);
    expect(failuresOf(changed.streamId)).toEqual([{ revision: 1, eventId: changed.events[1].eventId, reason: 'hash mismatch: content changed' }]);
    expect(failuresOf(deleted.streamId)).toEqual([{ revision: 2, eventId: deleted.events[2].eventId, reason: 'revision gap: 1 missing before revision 2' }]);
    const swaps = failuresOf(swapped.streamId);
    expect(swaps).toEqual(
      expect.arrayContaining([
        { revision: 1, eventId: swapped.events[1].eventId, reason: 'hash mismatch: content changed' },
        { revision: 2, eventId: swapped.events[2].eventId, reason: 'hash mismatch: content changed' },
        expect.objectContaining({ reason: 'prevHash does not match the previous event' }),
      ]),
    );
    expect(failuresOf(rewritten.streamId)).toEqual([]);
    expect(report.eventsChecked).toBe(14);
  });
});
