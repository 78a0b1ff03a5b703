import http from 'node:http';
import { startTestApp, TestApp } from '../support/test-app';
import {
  announcementBody,
  capacityRevisionBody,
  commissioningBody,
  companyBody,
  constructionStartBody,
  correctionBody,
  financingRoundBody,
  milestoneBody,
  retractionBody,
  standardBody,
  standardStageBody,
  statusChangeBody,
  tariffMeasureBody,
  tariffRateChangeBody,
  tariffRevocationBody,
  technologyRouteBody,
  uniqueId,
  WEEKLY,
} from '../support/seed-bodies';
import { expectFieldErrors, expectNothingWritten, expectProblem, expectWritten, WriteResult } from '../support/write-helpers';

/**
 * Every single-fact write endpoint of the contract ("Write: integrators"), against the real built app:
 * success, and the statuses of the contract's table; after every refusal nothing was stored.
 */
let app: TestApp;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.http().post(path).set(app.auth('integrator')).set(headers).send(body as object);

const registerCompany = async (): Promise<{ companyId: string; event: WriteResult }> => {
  const companyId = uniqueId('xinjie-energy');
  return { companyId, event: expectWritten(await post('/v1/companies', companyBody(companyId))) };
};

const announcePlant = async (): Promise<{ companyId: string; plantId: string }> => {
  const { companyId } = await registerCompany();
  const plantId = uniqueId('luochu-semi-solid-line');
  expectWritten(await post('/v1/plants/capacity-announcements', announcementBody(plantId, companyId)), `plant-${plantId}`);
  return { companyId, plantId };
};

const registerStandard = async (): Promise<string> => {
  const standardId = uniqueId('cn-gb-ssb-ev');
  expectWritten(await post('/v1/standards', standardBody(standardId)), `standard-${standardId}`);
  return standardId;
};

const imposeMeasure = async (): Promise<string> => {
  const measureId = uniqueId('eu-cn-bev-cvd');
  expectWritten(await post('/v1/tariff-measures', tariffMeasureBody(measureId)), `tariff-${measureId}`);
  return measureId;
};

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

describe('success: 201 with the write result, X-Correlation-Id echoed', () => {
  interface SuccessCase {
    name: string;
    /** Prepares the aggregates and returns path, body, expected stream and revision. */
    arrange: () => Promise<{ path: string; body: unknown; streamId: string; revision?: number; role?: 'integrator' | 'admin' }>;
  }

  const cases: SuccessCase[] = [
    {
      name: 'POST /v1/companies',
      arrange: async () => {
        const companyId = uniqueId('xinjie-energy');
        return { path: '/v1/companies', body: companyBody(companyId), streamId: `company-${companyId}`, revision: 0 };
      },
    },
    {
      name: 'POST /v1/plants/capacity-announcements',
      arrange: async () => {
        const { companyId } = await registerCompany();
        const plantId = uniqueId('luochu-line');
        return { path: '/v1/plants/capacity-announcements', body: announcementBody(plantId, companyId), streamId: `plant-${plantId}`, revision: 0 };
      },
    },
    {
      name: 'POST /v1/plants/{plantId}/construction-starts',
      arrange: async () => {
        const { plantId } = await announcePlant();
        return { path: `/v1/plants/${plantId}/construction-starts`, body: constructionStartBody(), streamId: `plant-${plantId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/plants/{plantId}/commissionings',
      arrange: async () => {
        const { plantId } = await announcePlant();
        return { path: `/v1/plants/${plantId}/commissionings`, body: commissioningBody(), streamId: `plant-${plantId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/plants/{plantId}/capacity-revisions',
      arrange: async () => {
        const { plantId } = await announcePlant();
        return { path: `/v1/plants/${plantId}/capacity-revisions`, body: capacityRevisionBody(), streamId: `plant-${plantId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/plants/{plantId}/suspensions',
      arrange: async () => {
        const { plantId } = await announcePlant();
        return { path: `/v1/plants/${plantId}/suspensions`, body: statusChangeBody(), streamId: `plant-${plantId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/plants/{plantId}/resumptions',
      arrange: async () => {
        const { plantId } = await announcePlant();
        expectWritten(await post(`/v1/plants/${plantId}/suspensions`, statusChangeBody('2026-01-01')));
        return { path: `/v1/plants/${plantId}/resumptions`, body: statusChangeBody('2026-02-01'), streamId: `plant-${plantId}`, revision: 2 };
      },
    },
    {
      name: 'POST /v1/plants/{plantId}/cancellations',
      arrange: async () => {
        const { plantId } = await announcePlant();
        return { path: `/v1/plants/${plantId}/cancellations`, body: statusChangeBody(), streamId: `plant-${plantId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/financing-rounds',
      arrange: async () => {
        const { companyId } = await registerCompany();
        return { path: '/v1/financing-rounds', body: financingRoundBody(uniqueId('taland-2025-12'), companyId), streamId: `company-${companyId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/standards',
      arrange: async () => {
        const standardId = uniqueId('cn-gb-ssb-ev');
        return { path: '/v1/standards', body: standardBody(standardId), streamId: `standard-${standardId}` };
      },
    },
    {
      name: 'POST /v1/standards/{standardId}/stages',
      arrange: async () => {
        const standardId = await registerStandard();
        return { path: `/v1/standards/${standardId}/stages`, body: standardStageBody(), streamId: `standard-${standardId}` };
      },
    },
    {
      name: 'POST /v1/tariff-measures',
      arrange: async () => {
        const measureId = uniqueId('eu-cn-bev-cvd');
        return { path: '/v1/tariff-measures', body: tariffMeasureBody(measureId), streamId: `tariff-${measureId}`, revision: 0 };
      },
    },
    {
      name: 'POST /v1/tariff-measures/{measureId}/rate-changes',
      arrange: async () => {
        const measureId = await imposeMeasure();
        return { path: `/v1/tariff-measures/${measureId}/rate-changes`, body: tariffRateChangeBody(), streamId: `tariff-${measureId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/tariff-measures/{measureId}/revocations',
      arrange: async () => {
        const measureId = await imposeMeasure();
        return { path: `/v1/tariff-measures/${measureId}/revocations`, body: tariffRevocationBody(), streamId: `tariff-${measureId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/technology-milestones',
      arrange: async () => {
        const { companyId } = await registerCompany();
        return { path: '/v1/technology-milestones', body: milestoneBody(uniqueId('zhaona-sodium-lab'), companyId), streamId: 'route-sodium-ion' };
      },
    },
    {
      name: 'POST /v1/corrections',
      arrange: async () => {
        const { companyId, event } = await registerCompany();
        return { path: '/v1/corrections', body: correctionBody(event.eventId), streamId: `company-${companyId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/retractions',
      arrange: async () => {
        const { companyId, event } = await registerCompany();
        return { path: '/v1/retractions', body: retractionBody(event.eventId), streamId: `company-${companyId}`, revision: 1 };
      },
    },
    {
      name: 'POST /v1/technology-routes (admin)',
      arrange: async () => {
        const routeId = uniqueId('solid-state-sodium');
        return { path: '/v1/technology-routes', body: technologyRouteBody(routeId), streamId: `route-${routeId}`, revision: 0, role: 'admin' };
      },
    },
  ];

  it.each(cases)('$name records the fact', async ({ name, arrange }) => {
    const { path, body, streamId, revision, role = 'integrator' } = await arrange();
    const correlationId = `e2e-${name.replace(/[^a-z]+/gi, '-')}`.slice(0, 100);
    const response = await app.http().post(path).set(app.auth(role)).set('X-Correlation-Id', correlationId).send(body as object);
    const result = expectWritten(response, streamId);
    if (revision !== undefined) expect(result.revision).toBe(revision);
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
  });

  it('generates an X-Correlation-Id when the client sends none, and positions grow', async () => {
    const first = await post('/v1/companies', companyBody(uniqueId('calb')));
    const second = await post('/v1/companies', companyBody(uniqueId('calb')));
    expect(first.headers['x-correlation-id']).toMatch(/^[\w.:-]{1,128}$/);
    expect(second.headers['x-correlation-id']).not.toBe(first.headers['x-correlation-id']);
    expect(expectWritten(second).position).toBeGreaterThan(expectWritten(first).position);
  });

  it('echoes the client X-Correlation-Id on a refused write too', async () => {
    const response = await post('/v1/companies', {}, { 'X-Correlation-Id': 'e2e-refused-1' });
    expectProblem(response, 400);
    expect(response.headers['x-correlation-id']).toBe('e2e-refused-1');
  });
});

describe('400: every failing field is listed, nothing is written', () => {
  const required: Array<{ name: string; path: () => Promise<string>; fields: string[]; role?: 'admin' }> = [
    { name: 'companies', path: async () => '/v1/companies', fields: ['companyId', 'name', 'headquartersCountry', 'source'] },
    { name: 'capacity-announcements', path: async () => '/v1/plants/capacity-announcements', fields: ['plantId', 'companyId', 'country', 'technologyRoute', 'plannedCapacityGwh', 'announcedOn', 'source'] },
    { name: 'construction-starts', path: async () => `/v1/plants/${(await announcePlant()).plantId}/construction-starts`, fields: ['startedOn', 'source'] },
    { name: 'commissionings', path: async () => `/v1/plants/${(await announcePlant()).plantId}/commissionings`, fields: ['commissionedOn', 'capacityGwh', 'source'] },
    { name: 'capacity-revisions', path: async () => `/v1/plants/${(await announcePlant()).plantId}/capacity-revisions`, fields: ['plannedCapacityGwh', 'revisedOn', 'source'] },
    { name: 'suspensions', path: async () => `/v1/plants/${(await announcePlant()).plantId}/suspensions`, fields: ['on', 'source'] },
    { name: 'resumptions', path: async () => `/v1/plants/${(await announcePlant()).plantId}/resumptions`, fields: ['on', 'source'] },
    { name: 'cancellations', path: async () => `/v1/plants/${(await announcePlant()).plantId}/cancellations`, fields: ['on', 'source'] },
    { name: 'financing-rounds', path: async () => '/v1/financing-rounds', fields: ['roundId', 'companyId', 'roundType', 'amount', 'closedOn', 'source'] },
    { name: 'standards', path: async () => '/v1/standards', fields: ['standardId', 'title', 'issuer', 'jurisdiction', 'stage', 'on', 'source'] },
    { name: 'standard stages', path: async () => `/v1/standards/${await registerStandard()}/stages`, fields: ['stage', 'on', 'source'] },
    { name: 'tariff-measures', path: async () => '/v1/tariff-measures', fields: ['measureId', 'importer', 'origin', 'products', 'measureType', 'ratePercent', 'effectiveFrom', 'announcedOn', 'source'] },
    { name: 'rate-changes', path: async () => `/v1/tariff-measures/${await imposeMeasure()}/rate-changes`, fields: ['ratePercent', 'effectiveFrom', 'source'] },
    { name: 'revocations', path: async () => `/v1/tariff-measures/${await imposeMeasure()}/revocations`, fields: ['effectiveFrom', 'source'] },
    { name: 'technology-milestones', path: async () => '/v1/technology-milestones', fields: ['milestoneId', 'technologyRoute', 'stage', 'achievedOn', 'description', 'source'] },
    { name: 'corrections', path: async () => '/v1/corrections', fields: ['eventId', 'changes', 'reason', 'source'] },
    { name: 'retractions', path: async () => '/v1/retractions', fields: ['eventId', 'reason', 'source'] },
    { name: 'technology-routes', path: async () => '/v1/technology-routes', fields: ['routeId', 'family', 'name', 'source'], role: 'admin' },
  ];

  it.each(required)('$name: missing required fields and an unknown field are all listed', async ({ path, fields, role }) => {
    const target = await path();
    await expectNothingWritten(app, async () => {
      const response = await app.http().post(target).set(app.auth(role ?? 'integrator')).send({ notAField: 'x' });
      expectFieldErrors(response, [...fields, 'notAField']);
    });
  });

  const badFormats: Array<{ name: string; path: () => Promise<string>; body: () => Promise<object>; fields: string[] }> = [
    {
      name: 'companies: slug, country, source URL and date',
      path: async () => '/v1/companies',
      body: async () => ({ ...companyBody('Xinjie Energy'), headquartersCountry: 'china', source: { ...WEEKLY, url: 'ftp://news.metal.com', publishedOn: '02/01/2026' } }),
      fields: ['companyId', 'headquartersCountry', 'source.url', 'source.publishedOn'],
    },
    {
      name: 'capacity-announcements: country, capacity, dates, status',
      path: async () => '/v1/plants/capacity-announcements',
      body: async () => ({ ...announcementBody(uniqueId('line'), uniqueId('co')), country: 'cn', plannedCapacityGwh: -2, announcedOn: '2025-13-01', targetOn: '2027-H3', status: 'rumoured' }),
      fields: ['country', 'plannedCapacityGwh', 'announcedOn', 'targetOn', 'status'],
    },
    {
      name: 'capacity-announcements: capacity above 10 000 GWh and a string number',
      path: async () => '/v1/plants/capacity-announcements',
      body: async () => ({ ...announcementBody(uniqueId('line'), uniqueId('co')), plannedCapacityGwh: 10_001, announcedOn: 20251231 }),
      fields: ['plannedCapacityGwh', 'announcedOn'],
    },
    {
      name: 'commissionings: date and capacity',
      path: async () => `/v1/plants/${(await announcePlant()).plantId}/commissionings`,
      body: async () => ({ ...commissioningBody(), commissionedOn: '31/12/2025', capacityGwh: 'two' }),
      fields: ['commissionedOn', 'capacityGwh'],
    },
    {
      name: 'financing-rounds: round type, amount, date',
      path: async () => '/v1/financing-rounds',
      body: async () => ({ ...financingRoundBody(uniqueId('round'), uniqueId('co')), roundType: 'series-z', amount: { value: -1, currency: 'yuan' }, closedOn: '2025-02-30' }),
      fields: ['roundType', 'amount.value', 'amount.currency', 'closedOn'],
    },
    {
      name: 'tariff-measures: jurisdiction, products, type, rate',
      path: async () => '/v1/tariff-measures',
      body: async () => ({ ...tariffMeasureBody(uniqueId('m')), importer: 'eu', products: ['cars'], measureType: 'punitive', ratePercent: 2000 }),
      fields: ['importer', 'products', 'measureType', 'ratePercent'],
    },
    {
      name: 'standard stages: stage and date',
      path: async () => `/v1/standards/${await registerStandard()}/stages`,
      body: async () => ({ ...standardStageBody(), stage: 'finished', on: '2025-12-31T00:00:00Z' }),
      fields: ['stage', 'on'],
    },
    {
      name: 'technology-milestones: stage and date',
      path: async () => '/v1/technology-milestones',
      body: async () => ({ ...milestoneBody(uniqueId('ms')), stage: 'dreaming', achievedOn: 'yesterday' }),
      fields: ['stage', 'achievedOn'],
    },
    {
      name: 'corrections: event id and empty changes',
      path: async () => '/v1/corrections',
      body: async () => ({ ...correctionBody('not-a-uuid'), changes: {} }),
      fields: ['eventId', 'changes'],
    },
    {
      name: 'retractions: event id',
      path: async () => '/v1/retractions',
      body: async () => retractionBody('12345'),
      fields: ['eventId'],
    },
  ];

  it.each(badFormats)('$name', async ({ path, body, fields }) => {
    const target = await path();
    const payload = await body();
    await expectNothingWritten(app, async () => expectFieldErrors(await post(target, payload), fields));
  });

  it('a plant id in the path that is not a slug is 400 naming plantId', async () => {
    await expectNothingWritten(app, async () => expectFieldErrors(await post('/v1/plants/Not_A_Slug/commissionings', commissioningBody()), ['plantId']));
  });

  it('malformed JSON is 400 saying where the text breaks', async () => {
    await expectNothingWritten(app, async () => {
      const response = await app.http().post('/v1/companies').set(app.auth('integrator')).set('Content-Type', 'application/json').send('{"companyId": "xinjie-energy",');
      expect(expectProblem(response, 400)).toMatchObject({ type: '/problems/malformed-json', detail: expect.stringMatching(/^The body is not valid JSON: .*position 30/) });
    });
  });

  it('an empty JSON body is 400 malformed-json', async () => {
    await expectNothingWritten(app, async () => {
      const response = await app.http().post('/v1/companies').set(app.auth('integrator')).set('Content-Type', 'application/json').send('  ');
      expect(expectProblem(response, 400)).toMatchObject({ type: '/problems/malformed-json', detail: expect.stringMatching(/empty/) });
    });
  });

  it('a JSON body that would poison a prototype is 400 saying so, as an NDJSON line is', async () => {
    const companyId = uniqueId('poisoned');
    // JSON.stringify never writes an own __proto__ key: the hostile body is written by hand.
    const body = `${JSON.stringify(companyBody(companyId)).slice(0, -1)},"__proto__":{"role":"admin"}}`;
    await expectNothingWritten(app, async () => {
      const response = await app.http().post('/v1/companies').set(app.auth('integrator')).set('Content-Type', 'application/json').send(body);
      expect(expectProblem(response, 400)).toMatchObject({ type: '/problems/malformed-json', detail: expect.stringMatching(/prototype/) });
    });
  });
});

describe('404: the aggregate in the path does not exist', () => {
  const cases = [
    ['/v1/plants/no-such-plant/construction-starts', constructionStartBody()],
    ['/v1/plants/no-such-plant/commissionings', commissioningBody()],
    ['/v1/plants/no-such-plant/capacity-revisions', capacityRevisionBody()],
    ['/v1/plants/no-such-plant/suspensions', statusChangeBody()],
    ['/v1/plants/no-such-plant/resumptions', statusChangeBody()],
    ['/v1/plants/no-such-plant/cancellations', statusChangeBody()],
    ['/v1/standards/no-such-standard/stages', standardStageBody()],
    ['/v1/tariff-measures/no-such-measure/rate-changes', tariffRateChangeBody()],
    ['/v1/tariff-measures/no-such-measure/revocations', tariffRevocationBody()],
  ] as const;

  it.each(cases)('POST %s', async (path, body) => {
    await expectNothingWritten(app, async () => expectProblem(await post(path, body), 404));
    // and the stream was not created as a side effect: still 404
    expectProblem(await post(path, body), 404);
  });
});

describe('409: a domain rule refuses the command, nothing is written', () => {
  it('registering a company twice', async () => {
    const { companyId } = await registerCompany();
    await expectNothingWritten(app, async () => expectProblem(await post('/v1/companies', companyBody(companyId)), 409));
    // the company stream is still at revision 0: its next fact is revision 1
    expect(expectWritten(await post('/v1/financing-rounds', financingRoundBody(uniqueId('round'), companyId))).revision).toBe(1);
  });

  it('announcing a plant twice', async () => {
    const { companyId, plantId } = await announcePlant();
    await expectNothingWritten(app, async () => expectProblem(await post('/v1/plants/capacity-announcements', announcementBody(plantId, companyId)), 409));
    expect(expectWritten(await post(`/v1/plants/${plantId}/construction-starts`, constructionStartBody())).revision).toBe(1);
  });

  it('a construction start dated before the announcement', async () => {
    const { plantId } = await announcePlant(); // announced 2025-12-01
    await expectNothingWritten(app, async () => expectProblem(await post(`/v1/plants/${plantId}/construction-starts`, constructionStartBody('2025-11-01')), 409));
    expect(expectWritten(await post(`/v1/plants/${plantId}/construction-starts`, constructionStartBody('2025-12-29'))).revision).toBe(1);
  });

  it('commissioning a cancelled plant', async () => {
    const { plantId } = await announcePlant();
    expect(expectWritten(await post(`/v1/plants/${plantId}/cancellations`, statusChangeBody('2025-12-15'))).revision).toBe(1);
    await expectNothingWritten(app, async () => expectProblem(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody()), 409));
    // the stream is still at revision 1
    expectProblem(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(), { 'If-Match': '"2"' }), 412);
  });

  it('a stage after withdrawn', async () => {
    const standardId = await registerStandard();
    const withdrawn = expectWritten(await post(`/v1/standards/${standardId}/stages`, standardStageBody('withdrawn', '2025-12-20')));
    await expectNothingWritten(app, async () => expectProblem(await post(`/v1/standards/${standardId}/stages`, standardStageBody('approved', '2025-12-31')), 409));
    expectProblem(await post(`/v1/standards/${standardId}/stages`, standardStageBody('approved', '2025-12-31'), { 'If-Match': `"${withdrawn.revision + 1}"` }), 412);
  });

  it('correcting a retracted fact', async () => {
    const { companyId } = await registerCompany();
    const round = expectWritten(await post('/v1/financing-rounds', financingRoundBody(uniqueId('yugong-round'), companyId)));
    expect(expectWritten(await post('/v1/retractions', retractionBody(round.eventId)), `company-${companyId}`).revision).toBe(2);
    const correction = { ...correctionBody(round.eventId), changes: { amount: { value: 450_000_000, currency: 'CNY', qualifier: 'about' } } };
    await expectNothingWritten(app, async () => expectProblem(await post('/v1/corrections', correction), 409));
    expect(expectWritten(await post('/v1/financing-rounds', financingRoundBody(uniqueId('round'), companyId))).revision).toBe(3);
  });
});

describe('412: If-Match', () => {
  it('an old revision is refused; the current one succeeds', async () => {
    const { plantId } = await announcePlant(); // revision 0
    const first = expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1), { 'If-Match': '"0"' }));
    expect(first.revision).toBe(1);
    await expectNothingWritten(app, async () => {
      const stale = expectProblem(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1), { 'If-Match': '"0"' }), 412);
      expect(stale.detail).toContain('1');
    });
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody(1), { 'If-Match': '"1"' })).revision).toBe(2);
  });

  it('a revision ahead of the stream is refused as well', async () => {
    const { plantId } = await announcePlant();
    await expectNothingWritten(app, async () => expectProblem(await post(`/v1/plants/${plantId}/suspensions`, statusChangeBody(), { 'If-Match': '"5"' }), 412));
    expect(expectWritten(await post(`/v1/plants/${plantId}/suspensions`, statusChangeBody())).revision).toBe(1);
  });
});

describe('413 and 415', () => {
  it('415: a text/plain body', async () => {
    await expectNothingWritten(app, async () => {
      const response = await app.http().post('/v1/companies').set(app.auth('integrator')).set('Content-Type', 'text/plain').send(JSON.stringify(companyBody(uniqueId('plain'))));
      expectProblem(response, 415);
    });
  });

  it('415: a form-encoded body, which is not JSON even when its fields would pass', async () => {
    const companyId = uniqueId('form');
    await expectNothingWritten(app, async () => {
      const response = await app.http().post('/v1/companies').set(app.auth('integrator')).type('form').send({ companyId, name: 'Form Co', headquartersCountry: 'CN' });
      expect(expectProblem(response, 415)).toMatchObject({ type: '/problems/unsupported-media-type', detail: expect.stringMatching(/application\/json/) });
    });
  });

  it('415: a text/plain body on a path endpoint', async () => {
    const { plantId } = await announcePlant();
    const response = await app.http().post(`/v1/plants/${plantId}/commissionings`).set(app.auth('integrator')).set('Content-Type', 'text/plain').send(JSON.stringify(commissioningBody()));
    expectProblem(response, 415);
    expect(expectWritten(await post(`/v1/plants/${plantId}/commissionings`, commissioningBody())).revision).toBe(1);
  });

  it('413: a body over 16 MiB', async () => {
    const companyId = uniqueId('huge');
    const huge = JSON.stringify({ ...companyBody(companyId), padding: 'x'.repeat(17 * 1024 * 1024) });
    await expectNothingWritten(app, async () => {
      // The server may answer 413 from Content-Length alone and close the socket while the client is still
      // sending; a client that reads the answer gets 413, so read it rather than failing on the write side.
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${app.url}/v1/companies`, {
          method: 'POST',
          headers: { ...app.auth('integrator'), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(huge) },
        });
        let answered = false;
        request.on('response', (response) => {
          answered = true;
          response.resume();
          request.destroy();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', (error) => {
          if (!answered) setTimeout(() => (answered ? undefined : reject(new Error(`no answer before the connection failed: ${error.message}`))), 1000);
        });
        // Declare the full length but send only the start: the server answers from Content-Length, and the
        // client is not mid-upload when the server closes the socket (which surfaced as EPIPE).
        request.write(huge.slice(0, 64 * 1024));
      });
      expect(status).toBe(413);
    });
    // the company was not registered
    expect(expectWritten(await post('/v1/companies', companyBody(companyId))).revision).toBe(0);
  }, 30_000);
});

describe('422: a referenced entity does not exist', () => {
  it('an unknown companyId in a capacity announcement', async () => {
    const plantId = uniqueId('orphan-line');
    await expectNothingWritten(app, async () => expectProblem(await post('/v1/plants/capacity-announcements', announcementBody(plantId, 'no-such-company')), 422));
    // the plant was not created: announcing it for a real company starts at revision 0
    const { companyId } = await registerCompany();
    expect(expectWritten(await post('/v1/plants/capacity-announcements', announcementBody(plantId, companyId))).revision).toBe(0);
  });

  it('an unknown companyId in a financing round', async () => {
    await expectNothingWritten(app, async () => expectProblem(await post('/v1/financing-rounds', financingRoundBody(uniqueId('round'), 'no-such-company')), 422));
  });

  it('an unknown companyId in a technology milestone', async () => {
    await expectNothingWritten(app, async () => expectProblem(await post('/v1/technology-milestones', milestoneBody(uniqueId('ms'), 'no-such-company')), 422));
  });

  it('an unknown technology route in a capacity announcement', async () => {
    const { companyId } = await registerCompany();
    await expectNothingWritten(app, async () =>
      expectProblem(await post('/v1/plants/capacity-announcements', { ...announcementBody(uniqueId('line'), companyId), technologyRoute: 'unobtainium-cell' }), 422),
    );
  });

  it('an Idempotency-Key reused with another body', async () => {
    const key = uniqueId('idem');
    const first = expectWritten(await post('/v1/companies', companyBody(uniqueId('calb')), { 'Idempotency-Key': key }));
    await expectNothingWritten(app, async () => expectProblem(await post('/v1/companies', companyBody(uniqueId('calb')), { 'Idempotency-Key': key }), 422));
    // the first response is still what the key stands for
    const replay = await post('/v1/companies', companyBody(first.streamId.replace(/^company-/, '')), { 'Idempotency-Key': key });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first);
  });
});
