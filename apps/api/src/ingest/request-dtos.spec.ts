// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; OpenAPI metadata plays no part in validation.
jest.mock('@nestjs/swagger', () => ({ ApiProperty: () => () => undefined, ApiPropertyOptional: () => () => undefined }));

import { validateRequest } from '../http/request-validation';
import { BATCH_KINDS, REQUEST_KINDS, BatchKind } from './request-kinds';

/** Deep copy of a kind's seed example with changes applied at dotted paths; `undefined` removes a field. */
const exampleWith = (kind: BatchKind, changes: Record<string, unknown> = {}): Record<string, unknown> => {
  const body = structuredClone((REQUEST_KINDS[kind].dto as unknown as { example: Record<string, unknown> }).example);
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, body);
    const last = keys[keys.length - 1];
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return body;
};

const failingFields = async (kind: BatchKind, body: unknown): Promise<string[]> => {
  const result = await validateRequest(REQUEST_KINDS[kind].dto, body);
  return result.ok ? [] : [...new Set(result.errors.map((error) => error.field))].sort();
};

describe('request DTOs', () => {
  it.each(BATCH_KINDS)('%s: the seed example in the OpenAPI document is a valid body', async (kind) => {
    expect(await failingFields(kind, exampleWith(kind))).toEqual([]);
  });

  // Bold fields of the contract's "Write: integrators" table (plus the admin route and rename bodies).
  it.each<[BatchKind, string[]]>([
    ['company', ['companyId', 'headquartersCountry', 'name', 'source']],
    ['capacity-announcement', ['announcedOn', 'companyId', 'country', 'plannedCapacityGwh', 'plantId', 'source', 'technologyRoute']],
    ['construction-start', ['source', 'startedOn']],
    ['commissioning', ['capacityGwh', 'commissionedOn', 'source']],
    ['capacity-revision', ['plannedCapacityGwh', 'revisedOn', 'source']],
    ['suspension', ['on', 'source']],
    ['financing-round', ['amount', 'closedOn', 'companyId', 'roundId', 'roundType', 'source']],
    ['standard', ['issuer', 'jurisdiction', 'on', 'source', 'stage', 'standardId', 'title']],
    ['standard-stage', ['on', 'source', 'stage']],
    ['tariff-measure', ['announcedOn', 'effectiveFrom', 'importer', 'measureId', 'measureType', 'origin', 'products', 'ratePercent', 'source']],
    ['tariff-rate-change', ['effectiveFrom', 'ratePercent', 'source']],
    ['tariff-revocation', ['effectiveFrom', 'source']],
    ['technology-milestone', ['achievedOn', 'description', 'milestoneId', 'source', 'stage', 'technologyRoute']],
    ['correction', ['changes', 'eventId', 'reason', 'source']],
    ['retraction', ['eventId', 'reason', 'source']],
    ['company-rename', ['name', 'renamedOn', 'source']],
    ['technology-route', ['family', 'name', 'routeId', 'source']],
  ])('%s: an empty body lists exactly the required fields', async (kind, required) => {
    expect(await failingFields(kind, {})).toEqual(required);
  });

  it.each(BATCH_KINDS)('%s: an unknown field is refused by name', async (kind) => {
    const result = await validateRequest(REQUEST_KINDS[kind].dto, { ...exampleWith(kind), capacityMw: 2000 });
    expect(result).toEqual({ ok: false, errors: [{ field: 'capacityMw', message: 'is not a known field' }] });
  });

  it.each(['construction-start', 'standard-stage', 'tariff-rate-change', 'company-rename'] as const)(
    '%s: the path id is not a body field',
    async (kind) => {
      const pathParam = REQUEST_KINDS[kind].pathParams[0];
      expect(await failingFields(kind, exampleWith(kind, { [pathParam]: 'some-id' }))).toEqual([pathParam]);
    },
  );

  it.each<[string, BatchKind, Record<string, unknown>, string[]]>([
    ['lower-case country', 'company', { headquartersCountry: 'cn' }, ['headquartersCountry']],
    ['unknown country', 'capacity-announcement', { country: 'XX' }, ['country']],
    ['EU is not a country of origin', 'tariff-measure', { origin: 'EU' }, ['origin']],
    ['unknown importer', 'tariff-measure', { importer: 'EUR' }, ['importer']],
    ['slug with spaces', 'company', { companyId: 'Xinjie Energy' }, ['companyId']],
    ['one-character slug', 'capacity-announcement', { plantId: 'x' }, ['plantId']],
    ['name over 200 characters', 'company', { name: 'x'.repeat(201) }, ['name']],
    ['blank name', 'company', { name: '' }, ['name']],
    ['more than 100 aliases', 'company', { aliases: Array.from({ length: 101 }, (_, i) => `alias-${i}`) }, ['aliases']],
    ['non-string segment', 'company', { segments: ['drones', 7] }, ['segments']],
    ['impossible date', 'financing-round', { closedOn: '2025-02-30' }, ['closedOn']],
    ['date with a time', 'commissioning', { commissionedOn: '2025-12-31T00:00:00Z' }, ['commissionedOn']],
    ['bad half-year', 'capacity-announcement', { targetOn: '2027-H3' }, ['targetOn']],
    ['month 13', 'capacity-announcement', { targetOn: '2027-13' }, ['targetOn']],
    ['status beyond the initial ones', 'capacity-announcement', { status: 'operational' }, ['status']],
    ['negative capacity', 'capacity-announcement', { plannedCapacityGwh: -2 }, ['plannedCapacityGwh']],
    ['zero capacity', 'commissioning', { capacityGwh: 0 }, ['capacityGwh']],
    ['capacity above 10 000 GWh', 'capacity-revision', { plannedCapacityGwh: 10_001 }, ['plannedCapacityGwh']],
    ['capacity as a string', 'commissioning', { capacityGwh: '2' }, ['capacityGwh']],
    ['NaN capacity', 'commissioning', { capacityGwh: Number.NaN }, ['capacityGwh']],
    ['infinite capacity', 'capacity-announcement', { plannedCapacityGwh: Number.POSITIVE_INFINITY }, ['plannedCapacityGwh']],
    ['rate above 1000 %', 'tariff-measure', { ratePercent: 1000.1 }, ['ratePercent']],
    ['negative rate', 'tariff-rate-change', { ratePercent: -1 }, ['ratePercent']],
    ['infinite rate', 'tariff-rate-change', { ratePercent: Number.POSITIVE_INFINITY }, ['ratePercent']],
    ['no products', 'tariff-measure', { products: [] }, ['products']],
    ['unknown product', 'tariff-measure', { products: ['bev', 'cars'] }, ['products']],
    ['repeated product', 'tariff-rate-change', { products: ['ess-battery', 'ess-battery'] }, ['products']],
    ['unknown measure type', 'tariff-measure', { measureType: 'quota' }, ['measureType']],
    ['impossible effectiveUntil', 'tariff-measure', { effectiveUntil: '2029-02-29' }, ['effectiveUntil']],
    ['unknown round type', 'financing-round', { roundType: 'series-b' }, ['roundType']],
    ['amount not an object', 'financing-round', { amount: 400_000_000 }, ['amount']],
    ['negative amount', 'financing-round', { 'amount.value': -1 }, ['amount.value']],
    ['lower-case currency', 'financing-round', { 'amount.currency': 'cny' }, ['amount.currency']],
    ['unknown currency', 'financing-round', { 'amount.currency': 'RMB' }, ['amount.currency']],
    ['unknown qualifier', 'financing-round', { 'amount.qualifier': 'roughly' }, ['amount.qualifier']],
    ['unknown field in amount', 'financing-round', { 'amount.fx': 7.1 }, ['amount.fx']],
    ['malformed route id', 'financing-round', { technologyRoutes: ['Solid State'] }, ['technologyRoutes']],
    ['repeated route id', 'standard', { technologyRoutes: ['semi-solid', 'semi-solid'] }, ['technologyRoutes']],
    ['unknown standard stage', 'standard-stage', { stage: 'final' }, ['stage']],
    ['unknown jurisdiction', 'standard', { jurisdiction: 'China' }, ['jurisdiction']],
    ['bad requirement', 'standard', { requirements: [{ metric: 'specific-energy', operator: '≈', value: 'high', unit: 'Wh/kg' }] }, ['requirements[0].operator', 'requirements[0].value']],
    ['requirement not an object', 'standard', { requirements: ['>= 350 Wh/kg'] }, ['requirements[0]']],
    ['bad metric', 'technology-milestone', { metrics: [{ name: 'energy-density', value: 348.5 }] }, ['metrics[0].unit']],
    ['unknown milestone stage', 'technology-milestone', { stage: 'prototype' }, ['stage']],
    ['description over 2000 characters', 'technology-milestone', { description: 'x'.repeat(2001) }, ['description']],
    ['unknown route family', 'technology-route', { family: 'flow' }, ['family']],
    ['source without publisher', 'company', { 'source.publisher': undefined }, ['source.publisher']],
    ['source as a string', 'company', { source: 'SMM' }, ['source']],
    ['ftp source url', 'commissioning', { 'source.url': 'ftp://news.metal.com' }, ['source.url']],
    ['source url without scheme', 'commissioning', { 'source.url': 'news.metal.com' }, ['source.url']],
    ['impossible publication date', 'commissioning', { 'source.publishedOn': '2026-01-32' }, ['source.publishedOn']],
    ['unknown source field', 'commissioning', { 'source.author': 'SMM' }, ['source.author']],
    ['eventId not a UUID', 'correction', { eventId: 'plant-xinjie-energy-solid-state-line@3' }, ['eventId']],
    ['empty changes', 'correction', { changes: {} }, ['changes']],
    ['changes as a list', 'correction', { changes: [{ plannedCapacityGwh: 2 }] }, ['changes']],
    ['blank reason', 'retraction', { reason: ' '.repeat(0) }, ['reason']],
  ])('refuses %s', async (_case, kind, changes, fields) => {
    expect(await failingFields(kind, exampleWith(kind, changes))).toEqual(fields);
  });

  it('lists every failing field of a body at once, nested ones with their path', async () => {
    const body = exampleWith('financing-round', { companyId: 'Taland', closedOn: '2025-12-32', 'amount.currency': 'yuan', 'source.url': 'not a url', lead: 'unknown' });
    expect(await failingFields('financing-round', body)).toEqual(['amount.currency', 'closedOn', 'companyId', 'lead', 'source.url']);
  });

  it('speaks to integrators in their terms', async () => {
    const result = await validateRequest(REQUEST_KINDS['capacity-announcement'].dto, exampleWith('capacity-announcement', { country: 'cn', announcedOn: '2025-02-30', targetOn: '2027-H3' }));
    expect(result.ok ? [] : result.errors).toEqual(
      expect.arrayContaining([
        { field: 'country', message: 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. CN' },
        { field: 'announcedOn', message: 'must be a date YYYY-MM-DD' },
        { field: 'targetOn', message: 'must be a partial date: 2027, 2027-H2, 2027-Q3, 2027-09 or 2027-09-30' },
      ]),
    );
  });

  it('defaults an amount to exact when the report gives no qualifier', async () => {
    const result = await validateRequest(REQUEST_KINDS['financing-round'].dto, exampleWith('financing-round', { 'amount.qualifier': undefined }));
    expect(result.ok && (result.value as unknown as { amount: { qualifier: string } }).amount.qualifier).toBe('exact');
  });
});
