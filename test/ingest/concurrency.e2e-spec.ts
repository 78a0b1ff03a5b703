import { startTestApp, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody, uniqueId } from '../support/seed-bodies';
import { expectWritten, WriteResult } from '../support/write-helpers';

/** Concurrent writers on one plant: the retry loop without If-Match, optimistic locking with it. */
let app: TestApp;

const post = (path: string, body: object, headers: Record<string, string> = {}) => app.http().post(path).set(app.auth('integrator')).set(headers).send(body);

const announcePlant = async (): Promise<string> => {
  const companyId = uniqueId('xinjie-energy');
  expectWritten(await post('/v1/companies', companyBody(companyId)));
  const plantId = uniqueId('xinjie-line');
  expectWritten(await post('/v1/plants/capacity-announcements', announcementBody(plantId, companyId)));
  return plantId;
};

const WRITERS = 20;

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

describe('concurrent commissionings of one plant', () => {
  it('without If-Match: all succeed with distinct consecutive revisions', async () => {
    const plantId = await announcePlant(); // revision 0
    const responses = await Promise.all(Array.from({ length: WRITERS }, (_, index) => post(`/v1/plants/${plantId}/commissionings`, commissioningBody(0.5 + index / 100))));
    const statuses = responses.map((response) => response.status);
    expect(statuses).toEqual(Array.from({ length: WRITERS }, () => 201));
    const results = responses.map((response) => expectWritten(response, `plant-${plantId}`));
    const revisions = results.map((result: WriteResult) => result.revision).sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: WRITERS }, (_, index) => index + 1));
    expect(new Set(results.map((result) => result.eventId)).size).toBe(WRITERS);
    // the stream holds exactly those: the next write is revision WRITERS + 1
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1))).revision).toBe(WRITERS + 1);
  }, 30_000);

  it('with the same If-Match from every client: exactly one wins, the rest get 412', async () => {
    const plantId = await announcePlant(); // revision 0
    const responses = await Promise.all(Array.from({ length: WRITERS }, () => post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'If-Match': '"0"' })));
    const statuses = responses.map((response) => response.status).sort((a, b) => a - b);
    expect(statuses).toEqual([201, ...Array.from({ length: WRITERS - 1 }, () => 412)]);
    const winner = responses.find((response) => response.status === 201);
    expect(expectWritten(winner!).revision).toBe(1);
    for (const loser of responses.filter((response) => response.status === 412)) {
      expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'If-Match': '"1"' })).revision).toBe(2);
  }, 30_000);
});
