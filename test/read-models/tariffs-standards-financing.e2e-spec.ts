import { TestApp, startTestApp } from '../support/test-app';
import { BatchItem, CLNB_2025, Recorded, WEEKLY, company, read, recordAll, recordOne, tick } from './seed-facts';

/**
 * Tariffs, standards and financing over the seed facts. US duties on Chinese Li-ion batteries are recorded
 * as legal components that add up to the reported 82.4 % (power) and 57.4 % (ESS, rising to 82.4 % on
 * 2026-01-01); the split between components, the standard's later stage and the USD round are illustrative.
 */
describe('tariff, standard and financing read models', () => {
  let app: TestApp;
  let loaded: Recorded[];
  let yugongRound: Recorded;
  let retraction: Recorded;

  const measure = (measureId: string, importer: string, products: string[], measureType: string, ratePercent: number, effectiveFrom: string, extra: object = {}) => ({
    kind: 'tariff-measure',
    measureId,
    importer,
    origin: 'CN',
    products,
    measureType,
    ratePercent,
    effectiveFrom,
    announcedOn: effectiveFrom,
    source: CLNB_2025,
    ...extra,
  });
  const LI_ION = ['ev-battery', 'ess-battery', 'consumer-battery'];

  beforeAll(async () => {
    app = await startTestApp();
    const items: BatchItem[] = [
      measure('us-cn-li-ion-mfn', 'US', LI_ION, 'mfn', 3.4, '2019-01-01', { legalReference: 'HTSUS 8507.60.00' }),
      measure('us-cn-ev-li-ion-301', 'US', ['ev-battery'], 'section-301', 25, '2024-09-27'),
      measure('us-cn-non-ev-li-ion-301', 'US', ['ess-battery', 'consumer-battery'], 'section-301', 0, '2024-09-27'),
      { kind: 'tariff-rate-change', measureId: 'us-cn-non-ev-li-ion-301', ratePercent: 25, effectiveFrom: '2026-01-01', products: ['ess-battery', 'consumer-battery'], source: CLNB_2025 },
      measure('us-cn-reciprocal-2025', 'US', LI_ION, 'reciprocal', 54, '2025-04-09', { legalReference: 'IEEPA' }),
      measure('eu-cn-bev-mfn', 'EU', ['bev'], 'mfn', 10, '2019-01-01'),
      measure('eu-cn-bev-countervailing-2024', 'EU', ['bev'], 'countervailing', 35.3, '2024-10-31', { effectiveUntil: '2029-10-31', announcedOn: '2024-10-29' }),
      {
        kind: 'standard',
        standardId: 'cn-gb-ssb-ev',
        title: 'Solid-State Batteries for Electric Vehicles',
        issuer: 'MIIT',
        jurisdiction: 'CN',
        technologyRoutes: ['solid-state-sulphide', 'solid-state-oxide'],
        stage: 'public-comment',
        on: '2025-12-30',
        source: WEEKLY,
      },
      { kind: 'standard-stage', standardId: 'cn-gb-ssb-ev', stage: 'approved', on: '2026-06-30', code: 'GB/T 00000-2026', source: WEEKLY },
      company('taland-new-energy', 'Taland New Energy'),
      company('yugong-high-tech', 'Yugong High-Tech'),
      company('xinjie-energy', 'Xinjie Energy'),
      {
        kind: 'financing-round',
        roundId: 'taland-2025-12-industrialisation',
        companyId: 'taland-new-energy',
        roundType: 'other',
        amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
        closedOn: '2025-12-30',
        technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
        source: WEEKLY,
      },
      {
        kind: 'financing-round',
        roundId: 'yugong-2025-12',
        companyId: 'yugong-high-tech',
        roundType: 'a',
        amount: { value: 100_000_000, currency: 'CNY', qualifier: 'about' },
        closedOn: '2025-12-29',
        technologyRoutes: ['solid-state-sulphide'],
        source: WEEKLY,
      },
      {
        kind: 'financing-round',
        roundId: 'xinjie-2025-06',
        companyId: 'xinjie-energy',
        roundType: 'b',
        amount: { value: 50_000_000, currency: 'USD' },
        closedOn: '2025-06-15',
        technologyRoutes: ['lithium-metal'],
        source: WEEKLY,
      },
    ];
    loaded = await recordAll(app, items);
    yugongRound = loaded[items.findIndex((item) => item.roundId === 'yugong-2025-12')];
    await tick();
    retraction = await recordOne(app, '/v1/retractions', {
      eventId: yugongRound.eventId,
      reason: "Yugong High-Tech makes production equipment; its funding was recorded as a battery maker's round by mistake.",
      source: WEEKLY,
    });
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  describe('GET /v1/tariffs/effective', () => {
    const effective = (product: string, asOf: string, importer = 'US') => read(app, '/v1/tariffs/effective', { importer, origin: 'CN', product, asOf });

    it('adds the components in force: 82.4 % on Chinese EV batteries from 2025-04-09', async () => {
      const response = await effective('ev-battery', '2025-04-09');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ asOf: '2025-04-09', importer: 'US', origin: 'CN', product: 'ev-battery', ratePercent: 82.4, position: expect.any(Number) });
      expect(response.body.measures.map((component: { measureId: string; measureType: string; ratePercent: number }) => [component.measureId, component.measureType, component.ratePercent])).toEqual([
        ['us-cn-li-ion-mfn', 'mfn', 3.4],
        ['us-cn-ev-li-ion-301', 'section-301', 25],
        ['us-cn-reciprocal-2025', 'reciprocal', 54],
      ]);
      expect((await effective('ev-battery', '2025-04-08')).body.ratePercent).toBe(28.4);
    });

    it('applies a scheduled rate change from its effective day: ESS 57.4 % then 82.4 %', async () => {
      expect((await effective('ess-battery', '2025-04-09')).body.ratePercent).toBe(57.4);
      expect((await effective('ess-battery', '2025-12-31')).body.ratePercent).toBe(57.4);
      const after = await effective('ess-battery', '2026-01-01');
      expect(after.body.ratePercent).toBe(82.4);
      expect(after.body.measures).toContainEqual(expect.objectContaining({ measureId: 'us-cn-non-ev-li-ion-301', ratePercent: 25, effectiveFrom: '2024-09-27', effectiveUntil: null }));
    });

    it('stacks the EU countervailing duty on the 10 % duty for its five years', async () => {
      expect((await effective('bev', '2024-10-30', 'EU')).body.ratePercent).toBe(10);
      const during = await effective('bev', '2024-10-31', 'EU');
      expect(during.body.ratePercent).toBe(45.3);
      expect(during.body.measures).toContainEqual(expect.objectContaining({ measureId: 'eu-cn-bev-countervailing-2024', effectiveUntil: '2029-10-31' }));
      expect((await effective('bev', '2029-10-31', 'EU')).body.ratePercent).toBe(10);
    });

    it('answers 0 with no components where nothing is in force', async () => {
      const response = await effective('battery-materials', '2025-06-01');
      expect(response.body).toMatchObject({ ratePercent: 0, measures: [] });
    });

    it('requires importer, origin and product, each named', async () => {
      const response = await read(app, '/v1/tariffs/effective', { importer: 'USA', product: 'batteries' });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['importer', 'origin', 'product']);
    });
  });

  describe('GET /v1/standards and /v1/standards/{standardId}', () => {
    it('answers the stage at asOf with the stages reached so far', async () => {
      const open = await read(app, '/v1/standards/cn-gb-ssb-ev', { asOf: '2025-12-31' });
      expect(open.status).toBe(200);
      expect(open.body).toMatchObject({
        asOf: '2025-12-31',
        standardId: 'cn-gb-ssb-ev',
        title: 'Solid-State Batteries for Electric Vehicles',
        issuer: 'MIIT',
        code: null,
        stage: 'public-comment',
        stages: [{ stage: 'public-comment', on: '2025-12-30' }],
      });
      const approved = await read(app, '/v1/standards/cn-gb-ssb-ev', { asOf: '2026-07-01' });
      expect(approved.body).toMatchObject({
        stage: 'approved',
        code: 'GB/T 00000-2026',
        stages: [
          { stage: 'public-comment', on: '2025-12-30' },
          { stage: 'approved', on: '2026-06-30' },
        ],
      });
      expect((await read(app, '/v1/standards/cn-gb-ssb-ev', { asOf: '2025-12-01' })).body).toMatchObject({ stage: null, stages: [] });
    });

    it('lists standards filtered by jurisdiction, route in scope and stage at asOf', async () => {
      const ids = async (query: Record<string, string>) =>
        (await read(app, '/v1/standards', { asOf: '2025-12-31', ...query })).body.standards.map((standard: { standardId: string }) => standard.standardId);
      expect(await ids({})).toEqual(['cn-gb-ssb-ev']);
      expect(await ids({ jurisdiction: 'CN', technologyRoute: 'solid-state-oxide', stage: 'public-comment' })).toEqual(['cn-gb-ssb-ev']);
      expect(await ids({ jurisdiction: 'EU' })).toEqual([]);
      expect(await ids({ technologyRoute: 'sodium-ion' })).toEqual([]);
      expect(await ids({ stage: 'approved' })).toEqual([]);
    });

    it('is 404 for an unknown standard and 400 for an unknown stage', async () => {
      expect((await read(app, '/v1/standards/cn-gb-unknown')).status).toBe(404);
      const badStage = await read(app, '/v1/standards', { stage: 'rumoured' });
      expect(badStage.status).toBe(400);
      expect(badStage.body.errors).toEqual([expect.objectContaining({ field: 'stage' })]);
    });

    it('puts each stage on the route timelines of its scope', async () => {
      const response = await read(app, '/v1/technology-routes/solid-state-oxide/timeline', { asOf: '2025-12-31' });
      expect(response.body.entries.map((entry: { on: string; kind: string }) => [entry.on, entry.kind])).toEqual([
        ['2025-12-30', 'standard-stage'],
        ['2025-12-30', 'financing-round'],
      ]);
    });
  });

  describe('GET /v1/financing-rounds', () => {
    it('lists rounds by closing date with totals per currency, never converted', async () => {
      const response = await read(app, '/v1/financing-rounds', { asOf: '2025-12-31', knownAt: loaded[loaded.length - 1].recordedAt });
      expect(response.status).toBe(200);
      expect(response.body.rounds.map((round: { roundId: string }) => round.roundId)).toEqual(['xinjie-2025-06', 'yugong-2025-12', 'taland-2025-12-industrialisation']);
      expect(response.body.rounds[2]).toMatchObject({
        companyId: 'taland-new-energy',
        amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
        closedOn: '2025-12-30',
        technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
      });
      expect(response.body.totals).toEqual([
        { currency: 'CNY', value: 500_000_000, rounds: 2, qualifier: 'about' },
        { currency: 'USD', value: 50_000_000, rounds: 1, qualifier: 'exact' },
      ]);
    });

    it('drops a retracted round only for knownAt after the retraction', async () => {
      const response = await read(app, '/v1/financing-rounds', { asOf: '2025-12-31', knownAt: retraction.recordedAt, minPosition: retraction.position });
      expect(response.body.position).toBeGreaterThanOrEqual(retraction.position);
      expect(response.body.rounds.map((round: { roundId: string }) => round.roundId)).toEqual(['xinjie-2025-06', 'taland-2025-12-industrialisation']);
      expect(response.body.totals).toContainEqual({ currency: 'CNY', value: 400_000_000, rounds: 1, qualifier: 'at-least' });
    });

    it('filters by company, route and closing window', async () => {
      const roundIds = async (query: Record<string, string>) =>
        (await read(app, '/v1/financing-rounds', { asOf: '2025-12-31', ...query })).body.rounds.map((round: { roundId: string }) => round.roundId);
      expect(await roundIds({ companyId: 'taland-new-energy' })).toEqual(['taland-2025-12-industrialisation']);
      expect(await roundIds({ technologyRoute: 'solid-state-polymer' })).toEqual(['taland-2025-12-industrialisation']);
      expect(await roundIds({ from: '2025-01-01', to: '2025-06-30' })).toEqual(['xinjie-2025-06']);
      expect(await roundIds({ asOf: '2025-12-29' })).toEqual(['xinjie-2025-06']);
    });

    it('refuses from after to, naming from', async () => {
      const response = await read(app, '/v1/financing-rounds', { from: '2025-12-31', to: '2025-01-01' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
    });
  });
});
