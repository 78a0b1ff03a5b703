// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; OpenAPI metadata plays no part in validation.
jest.mock('@nestjs/swagger', () => ({ ApiProperty: () => () => undefined, ApiPropertyOptional: () => () => undefined }));

import { DOMAIN_EVENT_TYPES } from '@bsc/domain';
import { validateRequest } from '../http/request-validation';
import { BATCH_KINDS, BatchKind, DTO_FOR_EVENT_TYPE, REQUEST_KINDS, RequestBody, toCommand, validateBatchItem } from './request-kinds';

const example = (kind: BatchKind) =>
  structuredClone((REQUEST_KINDS[kind].dto as unknown as { example: RequestBody & Record<string, unknown> }).example);
const PATH_IDS: Record<string, string> = { plantId: 'xinjie-energy-solid-state-line', standardId: 'cn-gb-ssb-ev', measureId: 'us-cn-ess-li-ion-2025', companyId: 'calb' };
const pathIdsOf = (kind: BatchKind) => Object.fromEntries(REQUEST_KINDS[kind].pathParams.map((param) => [param, PATH_IDS[param]]));
const itemOf = (kind: BatchKind) => ({ kind, ...pathIdsOf(kind), ...example(kind) });

describe('request kinds', () => {
  it('covers the contract\'s batch kinds plus company-rename and technology-route, admin only for routes', () => {
    expect(Object.keys(REQUEST_KINDS).sort()).toEqual([...BATCH_KINDS].sort());
    expect(BATCH_KINDS).toHaveLength(19);
    expect(BATCH_KINDS.filter((kind) => REQUEST_KINDS[kind].access === 'admin')).toEqual(['technology-route']);
  });

  it('builds { kind, ...pathIds, ...body } without source or absent optionals, as plain data', async () => {
    const validated = await validateRequest(REQUEST_KINDS.commissioning.dto, { commissionedOn: '2025-12-31', capacityGwh: 2, source: { publisher: 'SMM', publishedOn: '2026-01-02' } });
    if (!validated.ok) throw new Error('example body refused');
    const { command, source } = toCommand('commissioning', validated.value, { plantId: 'xinjie-energy-solid-state-line' });
    expect(command).toStrictEqual({ kind: 'commissioning', plantId: 'xinjie-energy-solid-state-line', commissionedOn: '2025-12-31', capacityGwh: 2 });
    expect(source).toStrictEqual({ publisher: 'SMM', publishedOn: '2026-01-02' });
  });

  it('keeps nested values as plain objects, with the amount qualifier defaulted', async () => {
    const body = { ...example('financing-round'), amount: { value: 400_000_000, currency: 'CNY' } };
    const validated = await validateRequest(REQUEST_KINDS['financing-round'].dto, body);
    if (!validated.ok) throw new Error('example body refused');
    const { command } = toCommand('financing-round', validated.value);
    expect(command).toMatchObject({ kind: 'financing-round', companyId: 'taland-new-energy', amount: { value: 400_000_000, currency: 'CNY', qualifier: 'exact' } });
    expect(Object.getPrototypeOf((command as { amount: object }).amount)).toBe(Object.prototype);
    expect(command).not.toHaveProperty('source');
  });

  it.each(BATCH_KINDS)('%s: a seed item validates into its command', async (kind) => {
    const result = await validateBatchItem(itemOf(kind));
    const { source, ...fields } = example(kind);
    expect(result).toEqual({ ok: true, kind, command: { kind, ...pathIdsOf(kind), ...fields }, source });
  });

  it.each<[string, unknown, { field: string; message?: string }[]]>([
    ['a non-object', ['company'], [{ field: '(item)' }]],
    ['a missing kind', { ...example('company') }, [{ field: 'kind' }]],
    ['an unknown kind', { ...example('company'), kind: 'merger' }, [{ field: 'kind', message: expect.stringContaining('capacity-announcement') }]],
    ['a missing path id', { ...itemOf('commissioning'), plantId: undefined }, [{ field: 'plantId', message: expect.stringContaining('is required') }]],
    [
      'a bad path id and a bad body together',
      { ...itemOf('tariff-rate-change'), measureId: 'US CN', ratePercent: 1200, products: [] },
      [{ field: 'measureId' }, { field: 'ratePercent' }, { field: 'products' }],
    ],
    ['an unknown field', { ...itemOf('company'), ticker: '300750' }, [{ field: 'ticker', message: 'is not a known field' }]],
    ['a path id that its kind does not take', { ...itemOf('company'), plantId: 'xinjie-energy-solid-state-line' }, [{ field: 'plantId', message: 'is not a known field' }]],
  ])('refuses %s, listing every failing field', async (_case, item, expected) => {
    const result = await validateBatchItem(item);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect([...new Set(errors.map((error) => error.field))]).toEqual(expected.map((error) => error.field));
    expect(errors).toEqual(expect.arrayContaining(expected.filter((error) => error.message).map((error) => expect.objectContaining(error))));
  });

  it('maps every correctable event type, and only those', () => {
    const correctable = DOMAIN_EVENT_TYPES.filter((type) => type !== 'FactCorrected' && type !== 'FactRetracted');
    expect(Object.keys(DTO_FOR_EVENT_TYPE).sort()).toEqual([...correctable].sort());
  });

  it.each(Object.entries(DTO_FOR_EVENT_TYPE))('%s: event data recorded from the seed example validates', async (_type, { kind, dto }) => {
    const { command } = toCommand(kind, example(kind), pathIdsOf(kind));
    const { kind: _kind, ...data } = command as unknown as Record<string, unknown>;
    expect(await validateRequest(dto, data)).toMatchObject({ ok: true });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['PlantCommissioned', { plantId: 'xinjie-energy-solid-state-line', commissionedOn: '2025-12-31', capacityGwh: 2 }, { capacityGwh: -2 }, ['capacityGwh']],
    ['PlantCommissioned', { plantId: 'xinjie-energy-solid-state-line', commissionedOn: '2025-12-31', capacityGwh: 2 }, { plantId: undefined }, ['plantId']],
    ['FinancingRoundClosed', toData('financing-round'), { amount: { value: 400_000_000, currency: 'yuan' } }, ['amount.currency']],
    ['TariffRateChanged', toData('tariff-rate-change'), { effectiveFrom: '2026-02-30', note: 'x' }, ['effectiveFrom', 'note']],
  ])('%s: a correction merged into the data is checked like the original', async (type, data, changes, fields) => {
    const merged = Object.fromEntries(Object.entries({ ...data, ...changes }).filter(([, value]) => value !== undefined));
    const result = await validateRequest(DTO_FOR_EVENT_TYPE[type].dto, merged);
    expect(result.ok ? [] : result.errors.map((error) => error.field).sort()).toEqual(fields);
  });
});

function toData(kind: BatchKind): Record<string, unknown> {
  const { kind: _kind, ...data } = toCommand(kind, example(kind), pathIdsOf(kind)).command as unknown as Record<string, unknown>;
  return data;
}
