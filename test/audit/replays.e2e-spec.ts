import { uniqueId } from '../support/seed-bodies';
import { TestApp, startTestApp } from '../support/test-app';
import { expectProblem } from '../support/write-helpers';
import { announcement, commissioning, company, recordAll, tick } from '../read-models/seed-facts';

jest.setTimeout(60_000);

describe('audit replays', () => {
  let app: TestApp;
  const companyId = uniqueId('xinjie');
  const plantId = uniqueId('xinjie-2gwh');
  let beforeCommissioning: string;
  /** Log positions of the announcement and the commissioning, the last event. */
  let announced: number;
  let head: number;

  const replay = (body: object) => app.http().post('/v1/audit/replays').set(app.auth('auditor')).send(body);

  beforeAll(async () => {
    app = await startTestApp();
    const [, announcedFact] = await recordAll(app, [
      company(companyId, 'Xinjie Energy'),
      announcement({ plantId, companyId, country: 'HU', technologyRoute: 'semi-solid', plannedCapacityGwh: 2, announcedOn: '2025-06-01' }),
    ]);
    announced = announcedFact.position;
    await tick();
    beforeCommissioning = new Date().toISOString();
    await tick();
    head = (await recordAll(app, [commissioning(plantId, '2025-12-28', 2)]))[0].position;
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it.each([
    ['company-capacity', { headquartersCountry: 'CN' }],
    ['company', { companyId }],
    ['company-capacity-timeline', { companyId, from: '2025-01-01', interval: 'quarter' }],
    ['overseas-expansion', {}],
    ['technology-routes', { family: 'solid-state' }],
    ['technology-route-timeline', { routeId: 'semi-solid' }],
    ['effective-tariff', { importer: 'US', origin: 'CN', product: 'ev-battery' }],
    ['standards', {}],
    ['financing-rounds', { companyId }],
  ])('rebuilds %s from the raw log and matches the live answer', async (readModel, params) => {
    const response = await replay({ readModel, params, asOf: '2025-12-31' });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toMatchObject({ matchesLive: true, position: head, eventsReplayed: 3, tookMs: expect.any(Number) });
    expect(response.body.result).not.toBeNull();
  });

  it('answers exactly as the read endpoint does', async () => {
    const knownAt = new Date().toISOString();
    const replayed = await replay({ readModel: 'company', params: { companyId }, asOf: '2025-12-31', knownAt });
    const live = await app.http().get(`/v1/companies/${companyId}/capacity`).query({ asOf: '2025-12-31', knownAt }).set(app.auth('analyst'));

    expect(replayed.body.result).toEqual(live.body);
    expect(replayed.body.result).toMatchObject({ operationalGwh: 2, plants: [expect.objectContaining({ plantId, status: 'operational' })] });
  });

  it('answers a list exactly as its read endpoint does, sent as it is made', async () => {
    const knownAt = new Date().toISOString();
    const replayed = await replay({ readModel: 'company-capacity', params: {}, asOf: '2025-12-31', knownAt });
    const live = await app.http().get('/v1/read-models/company-capacity').query({ asOf: '2025-12-31', knownAt }).set(app.auth('analyst'));

    expect(replayed.headers['transfer-encoding']).toBe('chunked');
    expect(replayed.body).toMatchObject({ matchesLive: true, position: head });
    expect(replayed.body.result).toEqual(live.body);
    expect(replayed.body.result.companies).toContainEqual(expect.objectContaining({ companyId, operationalGwh: 2 }));
  });

  it('with an older knownAt gives the older answer', async () => {
    const response = await replay({ readModel: 'company', params: { companyId }, asOf: '2025-12-31', knownAt: beforeCommissioning });

    expect(response.body).toMatchObject({ matchesLive: true, eventsReplayed: 2, position: head });
    expect(response.body.result).toMatchObject({ knownAt: beforeCommissioning, position: announced, operationalGwh: 0, announcedGwh: 2 });
  });

  it('answers null, as the endpoint answers 404, for an id not known at knownAt', async () => {
    const response = await replay({ readModel: 'company', params: { companyId: 'nobody-here' } });

    expect(response.body).toMatchObject({ result: null, matchesLive: true });
  });

  it('names each bad field, inside params too', async () => {
    const unknownModel = expectProblem(await replay({ readModel: 'plants', knownAt: 'yesterday' }), 400);
    expect(unknownModel.errors?.map((error) => error.field).sort()).toEqual(['knownAt', 'readModel']);

    const badParams = expectProblem(await replay({ readModel: 'effective-tariff', params: { importer: 'usa', origin: 'CN', asOf: '2025-01-01' } }), 400);
    expect(badParams.errors?.map((error) => error.field).sort()).toEqual(['params.asOf', 'params.importer', 'params.product']);
  });
});
