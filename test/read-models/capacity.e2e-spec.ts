import { TestApp, startTestApp } from '../support/test-app';
import { ALTERNATIVE_BATTERIES, CLNB_2025, Recorded, announcement, commissioning, company, constructionStart, read, recordAll, recordOne, tick } from './seed-facts';

/**
 * Capacity reads over the seed facts: Xinjie Energy's 2 GWh lithium-metal line in mass production, Luochu's
 * 2 GWh semi-solid construction start, BYD's sodium-ion plant in Jiangsu, CATL at home and in Germany and
 * Hungary. Dates and sizes the articles do not give (CATL's plants, the announcement of Xinjie's line) are
 * illustrative.
 */
describe('capacity read models', () => {
  let app: TestApp;
  let loaded: Recorded[];
  let luochuAnnouncement: Recorded;
  let correction: Recorded;
  let retraction: Recorded;

  beforeAll(async () => {
    app = await startTestApp();
    const items = [
      company('catl', 'CATL', 'CN', CLNB_2025),
      company('byd', 'BYD', 'CN', ALTERNATIVE_BATTERIES),
      company('xinjie-energy', 'Xinjie Energy'),
      company('luochu-technology', 'Luochu Technology'),
      announcement({ plantId: 'catl-ningde-cn', companyId: 'catl', country: 'CN', technologyRoute: 'lfp', plannedCapacityGwh: 60, announcedOn: '2020-01-15' }, CLNB_2025),
      commissioning('catl-ningde-cn', '2021-06-30', 60, CLNB_2025),
      announcement({ plantId: 'catl-arnstadt-de', companyId: 'catl', country: 'DE', technologyRoute: 'nmc', plannedCapacityGwh: 14, announcedOn: '2018-07-09' }, CLNB_2025),
      commissioning('catl-arnstadt-de', '2022-12-01', 14, CLNB_2025),
      announcement({ plantId: 'catl-debrecen-hu', companyId: 'catl', country: 'HU', technologyRoute: 'lfp', plannedCapacityGwh: 100, announcedOn: '2022-08-12' }, CLNB_2025),
      constructionStart('catl-debrecen-hu', '2023-05-01', CLNB_2025),
      announcement(
        { plantId: 'byd-xuzhou-sodium-ion', companyId: 'byd', country: 'CN', region: 'Jiangsu', technologyRoute: 'sodium-ion', plannedCapacityGwh: 30, announcedOn: '2024-01-05' },
        ALTERNATIVE_BATTERIES,
      ),
      constructionStart('byd-xuzhou-sodium-ion', '2024-01-20', ALTERNATIVE_BATTERIES),
      announcement({ plantId: 'xinjie-energy-solid-state-line', companyId: 'xinjie-energy', country: 'CN', technologyRoute: 'lithium-metal', plannedCapacityGwh: 2, announcedOn: '2025-06-01' }),
      commissioning('xinjie-energy-solid-state-line', '2025-12-28', 2),
      // 20 instead of the article's 2: the slip the correction below repairs.
      announcement({ plantId: 'luochu-semi-solid-line', companyId: 'luochu-technology', country: 'CN', technologyRoute: 'semi-solid', plannedCapacityGwh: 20, announcedOn: '2025-12-01' }),
      constructionStart('luochu-semi-solid-line', '2025-12-29'),
      announcement({ plantId: 'byd-hungary-mistake', companyId: 'byd', country: 'HU', technologyRoute: 'lfp', plannedCapacityGwh: 25, announcedOn: '2025-03-01' }, CLNB_2025),
      {
        kind: 'technology-milestone',
        milestoneId: 'xinjie-energy-lithium-metal-mass-production',
        technologyRoute: 'lithium-metal',
        stage: 'mass-production',
        achievedOn: '2025-12-31',
        description: 'Xinjie Energy began GWh-level mass production of solid-state lithium-metal batteries on a 2 GWh line.',
        companyId: 'xinjie-energy',
        source: { publisher: 'SMM', publishedOn: '2026-01-02' },
      },
    ];
    loaded = await recordAll(app, items);
    luochuAnnouncement = loaded[items.findIndex((item) => item.plantId === 'luochu-semi-solid-line' && item.kind === 'capacity-announcement')];
    const mistaken = loaded[items.findIndex((item) => item.plantId === 'byd-hungary-mistake')];
    await tick();
    correction = await recordOne(app, '/v1/corrections', {
      eventId: luochuAnnouncement.eventId,
      changes: { plannedCapacityGwh: 2 },
      reason: 'The weekly reports a 2 GWh line.',
      source: { publisher: 'SMM', publishedOn: '2026-01-02' },
    });
    await tick();
    retraction = await recordOne(app, '/v1/retractions', {
      eventId: mistaken.eventId,
      reason: 'No such plant was announced; recorded from a misread report.',
      source: { publisher: 'SMM' },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  const END_2025 = { asOf: '2025-12-31' };

  describe('GET /v1/read-models/company-capacity', () => {
    it('answers every bucket per company and in total, echoing both clocks and the position', async () => {
      const response = await read(app, '/v1/read-models/company-capacity', { ...END_2025, knownAt: retraction.recordedAt });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ asOf: '2025-12-31', knownAt: retraction.recordedAt, position: retraction.position });
      const byId = Object.fromEntries(response.body.companies.map((row: { companyId: string }) => [row.companyId, row]));
      expect(Object.keys(byId)).toEqual(['byd', 'catl', 'luochu-technology', 'xinjie-energy']);
      expect(byId.catl).toMatchObject({
        name: 'CATL',
        headquartersCountry: 'CN',
        operationalGwh: 74,
        underConstructionGwh: 100,
        announcedGwh: 0,
        pipelineGwh: 100,
        suspendedGwh: 0,
        cancelledGwh: 0,
      });
      expect(byId.catl.byRoute).toMatchObject({ lfp: { operationalGwh: 60, pipelineGwh: 100 }, nmc: { operationalGwh: 14, pipelineGwh: 0 } });
      expect(byId.catl.byCountry).toMatchObject({ CN: { operationalGwh: 60, pipelineGwh: 0 }, DE: { operationalGwh: 14, pipelineGwh: 0 }, HU: { operationalGwh: 0, pipelineGwh: 100 } });
      expect(byId['xinjie-energy']).toMatchObject({ operationalGwh: 2, pipelineGwh: 0, byRoute: { 'lithium-metal': { operationalGwh: 2 } } });
      expect(byId['luochu-technology']).toMatchObject({ operationalGwh: 0, underConstructionGwh: 2, pipelineGwh: 2 });
      expect(byId.byd).toMatchObject({ underConstructionGwh: 30, announcedGwh: 0, byCountry: { CN: { pipelineGwh: 30 } } });
      expect(response.body.totals).toMatchObject({ operationalGwh: 76, underConstructionGwh: 132, announcedGwh: 0, pipelineGwh: 132 });
      expect(response.body.totals.byRoute['sodium-ion']).toMatchObject({ pipelineGwh: 30 });
    });

    it.each(['/v1/read-models/company-capacity', '/v1/read-models/overseas-expansion', '/v1/financing-rounds', '/v1/standards'])(
      '%s goes out as JSON made in slices, with the headers of every answer, and its errors as problem details',
      async (path) => {
        const response = await read(app, path, END_2025).set('X-Correlation-Id', 'list-in-slices-1');
        const single = await read(app, '/v1/companies/catl/capacity', END_2025);

        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(response.headers['transfer-encoding']).toBe('chunked');
        expect(response.headers['x-correlation-id']).toBe('list-in-slices-1');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        for (const header of ['x-content-type-options', 'content-security-policy', 'cache-control']) {
          expect(response.headers[header]).toBe(single.headers[header]);
        }
        expect(response.body).toMatchObject({ asOf: '2025-12-31', position: retraction.position });
        expect(JSON.stringify(response.body)).toBe(response.text);

        const refused = await read(app, path, { asOf: 'not-a-day' });
        expect(refused.status).toBe(400);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      },
    );

    it('counts a plant as announced before its construction starts', async () => {
      const response = await read(app, '/v1/read-models/company-capacity', { asOf: '2023-01-01' });
      const catl = response.body.companies.find((row: { companyId: string }) => row.companyId === 'catl');
      expect(catl).toMatchObject({ operationalGwh: 74, underConstructionGwh: 0, announcedGwh: 100, pipelineGwh: 100 });
    });

    it('filters plants by route and country, and companies by headquarters', async () => {
      const semiSolid = await read(app, '/v1/read-models/company-capacity', { ...END_2025, technologyRoute: 'semi-solid' });
      expect(semiSolid.body.companies.map((row: { companyId: string }) => row.companyId)).toEqual(['luochu-technology']);
      expect(semiSolid.body.totals).toMatchObject({ pipelineGwh: 2 });

      const hungary = await read(app, '/v1/read-models/company-capacity', { ...END_2025, country: 'HU' });
      expect(hungary.body.companies).toEqual([expect.objectContaining({ companyId: 'catl', operationalGwh: 0, pipelineGwh: 100 })]);

      const german = await read(app, '/v1/read-models/company-capacity', { ...END_2025, headquartersCountry: 'DE' });
      expect(german.body.companies).toEqual([]);
    });
  });

  describe('GET /v1/companies/{companyId}/capacity', () => {
    it('answers one company with its plants', async () => {
      const response = await read(app, '/v1/companies/catl/capacity', END_2025);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ asOf: '2025-12-31', companyId: 'catl', operationalGwh: 74, pipelineGwh: 100 });
      expect(response.body.plants).toEqual([
        { plantId: 'catl-arnstadt-de', name: null, country: 'DE', technologyRoute: 'nmc', status: 'operational', plannedGwh: 14, commissionedGwh: 14 },
        { plantId: 'catl-debrecen-hu', name: null, country: 'HU', technologyRoute: 'lfp', status: 'under-construction', plannedGwh: 100, commissionedGwh: 0 },
        { plantId: 'catl-ningde-cn', name: null, country: 'CN', technologyRoute: 'lfp', status: 'operational', plannedGwh: 60, commissionedGwh: 60 },
      ]);
    });

    it('is 404 for a company nobody registered', async () => {
      const response = await read(app, '/v1/companies/gotion-high-tech/capacity');
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 404, type: '/problems/not-found' });
    });

    it('is 404 for a company asked about before it was recorded', async () => {
      const response = await read(app, '/v1/companies/catl/capacity', { knownAt: '2020-01-01T00:00:00Z' });
      expect(response.status).toBe(404);
    });
  });

  describe('GET /v1/companies/{companyId}/capacity/timeline', () => {
    it('answers the buckets at the end of each period', async () => {
      const response = await read(app, '/v1/companies/catl/capacity/timeline', { from: '2021-01-01', to: '2023-12-31', interval: 'year' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ companyId: 'catl', asOf: '2023-12-31', interval: 'year' });
      expect(response.body.points).toEqual([
        expect.objectContaining({ asOf: '2021-12-31', operationalGwh: 60, underConstructionGwh: 0, announcedGwh: 14 }),
        expect.objectContaining({ asOf: '2022-12-31', operationalGwh: 74, underConstructionGwh: 0, announcedGwh: 100 }),
        expect.objectContaining({ asOf: '2023-12-31', operationalGwh: 74, underConstructionGwh: 100, announcedGwh: 0 }),
      ]);
    });

    it('ends the last point at to, quarter by quarter', async () => {
      const response = await read(app, '/v1/companies/luochu-technology/capacity/timeline', { from: '2025-07-01', to: '2025-12-30', interval: 'quarter' });
      expect(response.body.points.map((point: { asOf: string; underConstructionGwh: number; announcedGwh: number }) => [point.asOf, point.announcedGwh, point.underConstructionGwh])).toEqual([
        ['2025-09-30', 0, 0],
        ['2025-12-30', 0, 2],
      ]);
    });

    it('refuses from after to, naming from, and an unknown interval, naming interval', async () => {
      const reversed = await read(app, '/v1/companies/catl/capacity/timeline', { from: '2024-01-01', to: '2023-01-01' });
      expect(reversed.status).toBe(400);
      expect(reversed.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
      const defaultTo = await read(app, '/v1/companies/catl/capacity/timeline', { asOf: '2023-01-01', from: '2024-01-01' });
      expect(defaultTo.status).toBe(400);
      expect(defaultTo.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
      const weekly = await read(app, '/v1/companies/catl/capacity/timeline', { interval: 'week' });
      expect(weekly.status).toBe(400);
      expect(weekly.body.errors).toEqual([expect.objectContaining({ field: 'interval' })]);
    });

    it('is 404 for an unknown company', async () => {
      expect((await read(app, '/v1/companies/gotion-high-tech/capacity/timeline', { from: '2024-01-01', to: '2024-12-31' })).status).toBe(404);
    });
  });

  describe('GET /v1/read-models/overseas-expansion', () => {
    it('splits domestic and overseas capacity, with the overseas share and destinations', async () => {
      const response = await read(app, '/v1/read-models/overseas-expansion', { ...END_2025, headquartersCountry: 'CN' });
      expect(response.status).toBe(200);
      const catl = response.body.companies.find((row: { companyId: string }) => row.companyId === 'catl');
      expect(catl).toMatchObject({
        domesticOperationalGwh: 60,
        overseasOperationalGwh: 14,
        domesticPipelineGwh: 0,
        overseasPipelineGwh: 100,
        overseasShare: 0.189189,
        countries: [
          { country: 'DE', operationalGwh: 14, pipelineGwh: 0, plantIds: ['catl-arnstadt-de'] },
          { country: 'HU', operationalGwh: 0, pipelineGwh: 100, plantIds: ['catl-debrecen-hu'] },
        ],
      });
      expect(response.body.totals).toEqual({
        domesticOperationalGwh: 62,
        overseasOperationalGwh: 14,
        domesticPipelineGwh: 32,
        overseasPipelineGwh: 100,
        overseasShare: 0.184211,
      });
    });

    it('filters by technology route', async () => {
      const response = await read(app, '/v1/read-models/overseas-expansion', { ...END_2025, technologyRoute: 'nmc' });
      expect(response.body.companies).toEqual([expect.objectContaining({ companyId: 'catl', overseasOperationalGwh: 14, domesticOperationalGwh: 0, overseasShare: 1 })]);
    });
  });

  describe('GET /v1/technology-routes', () => {
    it('answers the routes of a family with stage, first mass production and capacity', async () => {
      const response = await read(app, '/v1/technology-routes', { ...END_2025, family: 'solid-state' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ asOf: '2025-12-31', position: expect.any(Number) });
      const routes = Object.fromEntries(response.body.routes.map((route: { routeId: string }) => [route.routeId, route]));
      expect(Object.values(routes).every((route) => (route as { family: string }).family === 'solid-state')).toBe(true);
      expect(routes['lithium-metal']).toEqual({
        routeId: 'lithium-metal',
        family: 'solid-state',
        stage: 'mass-production',
        firstPilotOn: null,
        firstMassProductionOn: '2025-12-28',
        operationalGwh: 2,
        pipelineGwh: 0,
      });
      expect(routes['semi-solid']).toMatchObject({ stage: null, operationalGwh: 0, pipelineGwh: 2 });
      expect(routes.lfp).toBeUndefined();
    });
  });

  describe('GET /v1/technology-routes/{routeId}/timeline', () => {
    it('lists the dated entries of a route in order, with firstMassProductionOn', async () => {
      const response = await read(app, '/v1/technology-routes/lithium-metal/timeline', END_2025);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ routeId: 'lithium-metal', firstMassProductionOn: '2025-12-28', operationalGwh: 2, stage: 'mass-production' });
      expect(response.body.entries.map((entry: { on: string; kind: string; companyId?: string }) => [entry.on, entry.kind, entry.companyId])).toEqual([
        ['2025-06-01', 'capacity-announcement', 'xinjie-energy'],
        ['2025-12-28', 'commissioning', 'xinjie-energy'],
        ['2025-12-31', 'milestone', 'xinjie-energy'],
      ]);
      expect(response.body.entries.every((entry: { eventId: string; summary: string }) => entry.eventId.length > 0 && entry.summary.length > 0)).toBe(true);
    });

    it('filters entries by date window and kind, keeping the summary', async () => {
      const december = await read(app, '/v1/technology-routes/lithium-metal/timeline', { ...END_2025, from: '2025-12-01', to: '2025-12-31' });
      expect(december.body.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['commissioning', 'milestone']);
      const milestones = await read(app, '/v1/technology-routes/lithium-metal/timeline', { ...END_2025, kind: 'milestone' });
      expect(milestones.body.entries).toHaveLength(1);
      expect(milestones.body.firstMassProductionOn).toBe('2025-12-28');
    });

    it('answers what was true on asOf: before the line, no mass production', async () => {
      const response = await read(app, '/v1/technology-routes/lithium-metal/timeline', { asOf: '2025-12-27' });
      expect(response.body).toMatchObject({ firstMassProductionOn: null, operationalGwh: 0, pipelineGwh: 2 });
    });

    it('is 404 for an unknown route and 400 for a malformed route id', async () => {
      expect((await read(app, '/v1/technology-routes/graphene-dream/timeline')).status).toBe(404);
      const malformed = await read(app, '/v1/technology-routes/Solid_State/timeline');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'routeId' })]);
    });
  });

  describe('two clocks', () => {
    it('shows a correction only to knownAt after it was recorded', async () => {
      const before = await read(app, '/v1/companies/luochu-technology/capacity', { ...END_2025, knownAt: loaded[loaded.length - 1].recordedAt });
      expect(before.body).toMatchObject({ underConstructionGwh: 20, knownAt: loaded[loaded.length - 1].recordedAt });
      expect(before.body.position).toBeLessThan(correction.position);
      const after = await read(app, '/v1/companies/luochu-technology/capacity', { ...END_2025, knownAt: correction.recordedAt });
      expect(after.body).toMatchObject({ underConstructionGwh: 2, position: correction.position });
      expect(after.body.plants).toEqual([expect.objectContaining({ plantId: 'luochu-semi-solid-line', plannedGwh: 2, status: 'under-construction' })]);
    });

    it('shows a retraction only to knownAt after it was recorded', async () => {
      const before = await read(app, '/v1/companies/byd/capacity', { ...END_2025, knownAt: correction.recordedAt });
      expect(before.body).toMatchObject({ announcedGwh: 25, byCountry: { HU: { pipelineGwh: 25 } } });
      const after = await read(app, '/v1/companies/byd/capacity', { ...END_2025, knownAt: retraction.recordedAt });
      expect(after.body).toMatchObject({ announcedGwh: 0, pipelineGwh: 30 });
      expect(after.body.plants.map((plant: { plantId: string }) => plant.plantId)).toEqual(['byd-xuzhou-sodium-ion']);
    });

    it('answers with nothing known before the facts were recorded', async () => {
      const response = await read(app, '/v1/read-models/company-capacity', { ...END_2025, knownAt: '2020-01-01T00:00:00+08:00' });
      expect(response.body).toMatchObject({ companies: [], position: 0, knownAt: '2020-01-01T00:00:00+08:00' });
    });
  });
});
