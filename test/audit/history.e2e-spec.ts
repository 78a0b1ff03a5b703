import { announcementBody, companyBody, correctionBody, retractionBody, uniqueId } from '../support/seed-bodies';
import { Role, TestApp, startTestApp } from '../support/test-app';
import { expectProblem } from '../support/write-helpers';
import { Recorded, recordOne, tick } from '../read-models/seed-facts';

interface AuditEvent {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

jest.setTimeout(60_000);

describe('audit history', () => {
  let app: TestApp;
  const companyId = uniqueId('xinjie');
  const plantId = uniqueId('xinjie-2gwh');
  let registered: Recorded;
  let announced: Recorded;
  let corrected: Recorded;
  let retracted: Recorded;
  let otherAnnouncement: Recorded;

  const audit = (path: string, query: Record<string, string | number> = {}, role: Role = 'auditor') => app.http().get(path).query(query).set(app.auth(role));

  beforeAll(async () => {
    app = await startTestApp();
    registered = await recordOne(app, '/v1/companies', companyBody(companyId));
    announced = await recordOne(app, '/v1/plants/capacity-announcements', announcementBody(plantId, companyId));
    await tick();
    corrected = await recordOne(app, '/v1/corrections', { ...correctionBody(announced.eventId), changes: { plannedCapacityGwh: 3 } });
    otherAnnouncement = await recordOne(app, '/v1/plants/capacity-announcements', announcementBody(uniqueId('xinjie-4gwh'), companyId));
    retracted = await recordOne(app, '/v1/retractions', retractionBody(otherAnnouncement.eventId));
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it.each<[Role, number]>([
    ['integrator', 403],
    ['analyst', 403],
    ['auditor', 200],
    ['admin', 200],
  ])('lets %s keys in with %i', async (role, status) => {
    for (const path of ['/v1/audit/events', '/v1/audit/integrity', '/v1/audit/anchors', `/v1/audit/events/${registered.eventId}`]) {
      expect((await audit(path, {}, role)).status).toBe(status);
    }
    const replay = await app.http().post('/v1/audit/replays').set(app.auth(role)).send({ readModel: 'standards' });
    expect(replay.status).toBe(status);
  });

  it('refuses requests without a key', async () => {
    expectProblem(await app.http().get('/v1/audit/events'), 401);
    expectProblem(await app.http().get('/v1/audit/live'), 401);
  });

  it('pages the global log in order with every metadata field, until nextPosition is null', async () => {
    const seen: AuditEvent[] = [];
    // From the start of the log, then from each nextPosition: never a position made up (on EventStoreDB it may lie inside a record).
    let fromPosition: number | null | undefined;
    let pages = 0;
    while (fromPosition !== null) {
      const response = await audit('/v1/audit/events', { ...(fromPosition === undefined ? {} : { fromPosition }), limit: 2 });
      expect(response.status).toBe(200);
      expect(response.body.events.length).toBeLessThanOrEqual(2);
      seen.push(...response.body.events);
      fromPosition = response.body.nextPosition;
      pages++;
    }

    expect(pages).toBe(3);
    expect(seen.map((event) => event.position)).toEqual([registered, announced, corrected, otherAnnouncement, retracted].map((event) => event.position));
    const first = seen[0];
    expect(first).toMatchObject({ eventId: registered.eventId, streamId: `company-${companyId}`, revision: 0, type: 'CompanyRegistered', recordedAt: registered.recordedAt });
    expect(first.data).toMatchObject({ companyId, name: 'Xinjie Energy' });
    expect(first.metadata).toMatchObject({
      schemaVersion: 1,
      recordedAt: registered.recordedAt,
      recordedBy: expect.stringMatching(/^integrator-/),
      source: expect.objectContaining({ publisher: 'SMM' }),
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(seen)).not.toContain('test-integrator-key');
  });

  it('filters by type, stream and record time', async () => {
    const byType = await audit('/v1/audit/events', { type: 'CapacityAnnounced' });
    expect(byType.body).toEqual({ events: [expect.objectContaining({ eventId: announced.eventId }), expect.objectContaining({ eventId: otherAnnouncement.eventId })], nextPosition: null });

    const byStream = await audit('/v1/audit/events', { streamId: `plant-${plantId}` });
    expect(byStream.body.events.map((event: AuditEvent) => event.eventId)).toEqual([announced.eventId, corrected.eventId]);

    const firstOfType = await audit('/v1/audit/events', { type: 'CapacityAnnounced', limit: 1 });
    expect(firstOfType.body.nextPosition).toBe(otherAnnouncement.position);

    const byTime = await audit('/v1/audit/events', { recordedFrom: corrected.recordedAt, recordedTo: otherAnnouncement.recordedAt });
    expect(byTime.body.events.map((event: AuditEvent) => event.eventId)).toEqual([corrected.eventId, otherAnnouncement.eventId]);

    expect((await audit('/v1/audit/events', { streamId: 'plant-nowhere' })).body).toEqual({ events: [], nextPosition: null });
  });

  it('names each bad parameter', async () => {
    const response = await audit('/v1/audit/events', { limit: 1001, fromPosition: -1, recordedFrom: 'yesterday' });
    const problem = expectProblem(response, 400);
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(['fromPosition', 'limit', 'recordedFrom']);
  });

  it('pages one stream in revision order, and 404s an unknown one', async () => {
    const first = await audit(`/v1/audit/streams/plant-${plantId}/events`, { limit: 1 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ streamId: `plant-${plantId}`, nextRevision: 1, events: [{ eventId: announced.eventId, revision: 0 }] });

    const rest = await audit(`/v1/audit/streams/plant-${plantId}/events`, { fromRevision: 1 });
    expect(rest.body).toMatchObject({ nextRevision: null, events: [{ eventId: corrected.eventId, revision: 1, type: 'FactCorrected' }] });

    expectProblem(await audit('/v1/audit/streams/plant-nowhere/events'), 404);
  });

  it('shows one event with the correction that amends it, and a retracted one with its retraction', async () => {
    const response = await audit(`/v1/audit/events/${announced.eventId}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ eventId: announced.eventId, type: 'CapacityAnnounced', data: { plannedCapacityGwh: 2 } });
    expect(response.body.amendments).toEqual([
      expect.objectContaining({
        eventId: corrected.eventId,
        kind: 'correction',
        changes: { plannedCapacityGwh: 3 },
        event: expect.objectContaining({ eventId: corrected.eventId, type: 'FactCorrected', position: corrected.position }),
      }),
    ]);

    const withdrawn = await audit(`/v1/audit/events/${otherAnnouncement.eventId}`);
    expect(withdrawn.body.amendments).toEqual([expect.objectContaining({ eventId: retracted.eventId, kind: 'retraction', event: expect.objectContaining({ type: 'FactRetracted' }) })]);

    const plain = await audit(`/v1/audit/events/${registered.eventId}`);
    expect(plain.body).toMatchObject({ eventId: registered.eventId, amendments: [] });
  });

  it('404s an unknown event id', async () => {
    expectProblem(await audit('/v1/audit/events/00000000-0000-4000-8000-000000000000'), 404);
  });

  it('is described in the OpenAPI document', async () => {
    const { body } = await app.http().get('/docs-json');
    for (const path of ['/v1/audit/events', '/v1/audit/events/{eventId}', '/v1/audit/streams/{streamId}/events', '/v1/audit/integrity', '/v1/audit/anchors', '/v1/audit/anchors/verify', '/v1/audit/replays', '/v1/audit/live']) {
      expect(body.paths[path]).toBeDefined();
    }
    expect(body.paths['/v1/audit/live'].get.responses['200'].content['text/event-stream']).toBeDefined();
  });
});
