import { EsdbEmulator, startEsdbEmulator } from '../esdb-emulator/esdb-emulator';
import { SOURCE, TestApp, startTestApp } from '../support/test-app';

/**
 * The write path's guarantees must not depend on the embedded store: the same API on the EventStoreDB
 * adapter (against the protocol emulator, a test double) keeps idempotency, optimistic concurrency and
 * the hash chain metadata.
 */
describe('write path on the EventStoreDB adapter', () => {
  let emulator: EsdbEmulator;
  let api: TestApp;

  beforeAll(async () => {
    emulator = await startEsdbEmulator();
    api = await startTestApp({ EVENT_STORE_URL: emulator.connectionString });
  }, 60_000);

  afterAll(async () => {
    await api?.destroy();
    await emulator?.stop();
  }, 30_000);

  const registerTaland = {
    companyId: 'taland-new-energy',
    name: 'Taland New Energy',
    headquartersCountry: 'CN',
    source: SOURCE,
  };

  it('replays an idempotent retry without writing again, and refuses the key with another body', async () => {
    const first = await api.http().post('/v1/companies').set(api.auth('integrator')).set('Idempotency-Key', 'taland-1').send(registerTaland);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ streamId: 'company-taland-new-energy', revision: 0 });

    const retry = await api.http().post('/v1/companies').set(api.auth('integrator')).set('Idempotency-Key', 'taland-1').send(registerTaland);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');

    const otherBody = await api
      .http()
      .post('/v1/companies')
      .set(api.auth('integrator'))
      .set('Idempotency-Key', 'taland-1')
      .send({ ...registerTaland, name: 'Taland' });
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.type).toBe('/problems/idempotency-key-reused');

    const round = await api
      .http()
      .post('/v1/financing-rounds')
      .set(api.auth('integrator'))
      .send({
        roundId: 'taland-2025-12',
        companyId: 'taland-new-energy',
        roundType: 'strategic',
        amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
        closedOn: '2025-12-29',
        technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
        source: SOURCE,
      });
    expect(round.status).toBe(201);
    // Revision 1: the replay above wrote nothing to the company's stream.
    expect(round.body.revision).toBe(1);
  });

  it('answers 412 when If-Match names a revision the stream has left', async () => {
    const stale = await api
      .http()
      .post('/v1/financing-rounds')
      .set(api.auth('integrator'))
      .set('If-Match', '"0"')
      .send({
        roundId: 'taland-2026-01',
        companyId: 'taland-new-energy',
        roundType: 'b',
        amount: { value: 1, currency: 'CNY' },
        closedOn: '2026-01-02',
        source: SOURCE,
      });
    expect(stale.status).toBe(412);
    expect(stale.body.currentRevision).toBe(1);
  });
});
