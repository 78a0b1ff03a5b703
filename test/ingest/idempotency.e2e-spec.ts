import { startTestApp, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody, uniqueId } from '../support/seed-bodies';
import { expectProblem, expectWritten } from '../support/write-helpers';

/** `Idempotency-Key`: the same key and body answer the first response again, also after a restart. */
let app: TestApp;

const post = (path: string, body: object, headers: Record<string, string> = {}) => app.http().post(path).set(app.auth('integrator')).set(headers).send(body);

const announcePlant = async (): Promise<string> => {
  const companyId = uniqueId('luochu-technology');
  expectWritten(await post('/v1/companies', companyBody(companyId)));
  const plantId = uniqueId('luochu-line');
  expectWritten(await post('/v1/plants/capacity-announcements', announcementBody(plantId, companyId)));
  return plantId;
};

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

describe('Idempotency-Key', () => {
  it('same key and body: the first response again, flagged, and no new event', async () => {
    const plantId = await announcePlant();
    const key = uniqueId('xinjie-commissioning');
    const first = await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'Idempotency-Key': key });
    const written = expectWritten(first, `plant-${plantId}`);
    expect(written.revision).toBe(1);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    for (let attempt = 0; attempt < 3; attempt += 1) {
      const again = await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'Idempotency-Key': key });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
    }
    // no new event: the next write to the stream is revision 2
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1))).revision).toBe(2);
  });

  it('same key, different body: 422, nothing written, and the key still replays the first response', async () => {
    const plantId = await announcePlant();
    const key = uniqueId('key');
    const first = await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(2), { 'Idempotency-Key': key });
    expectWritten(first);
    expectProblem(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(3), { 'Idempotency-Key': key }), 422);
    const replay = await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(2), { 'Idempotency-Key': key });
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1))).revision).toBe(2);
  });

  it('same key and body sent concurrently: one event, every answer the same', async () => {
    const plantId = await announcePlant();
    const key = uniqueId('burst');
    const responses = await Promise.all(Array.from({ length: 8 }, () => post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'Idempotency-Key': key })));
    for (const response of responses) expect(response.status).toBe(201);
    const eventIds = new Set(responses.map((response) => (response.body as { eventId: string }).eventId));
    expect(eventIds.size).toBe(1);
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1))).revision).toBe(2);
  });

  it('a key is not shared across different requests of another endpoint with a different body', async () => {
    const key = uniqueId('shared');
    expectWritten(await post('/v1/companies', companyBody(uniqueId('calb')), { 'Idempotency-Key': key }));
    const plantId = await announcePlant();
    expectProblem(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'Idempotency-Key': key }), 422);
  });

  it('replays after a restart on the same data directory; a different body is still 422', async () => {
    const plantId = await announcePlant();
    const key = uniqueId('restart');
    const first = await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'Idempotency-Key': key });
    expectWritten(first);

    await app.close();
    app = await startTestApp({}, app.dataDir);

    const again = await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expectProblem(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(5), { 'Idempotency-Key': key }), 422);
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1))).revision).toBe(2);
  }, 60_000);
});
