// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; OpenAPI metadata plays no part in validation.
jest.mock('@nestjs/swagger', () => ({ ApiProperty: () => () => undefined, ApiPropertyOptional: () => () => undefined }));

import { validateRequest } from '../http/request-validation';
import { resolveQueryTime } from './query-time';
import { encodeTimelineCursor } from '@bsc/projections';
import { CapacityTimelineQuery, CompanyCapacityQuery, EffectiveTariffQuery, FinancingRoundsQuery, ReadQuery, RouteTimelineQuery } from './read-queries.dto';

const fieldsFailing = async (dto: new () => object, query: Record<string, string>): Promise<string[]> => {
  const result = await validateRequest(dto, query);
  return result.ok ? [] : [...new Set(result.errors.map((error) => error.field))].sort();
};

describe('read query DTOs', () => {
  it('turns a digit-string minPosition into a number', async () => {
    const result = await validateRequest(ReadQuery, { minPosition: '42' });
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ minPosition: 42 }) });
  });

  it.each(['abc', '-1', '1.5', '', '99999999999999999999'])('refuses minPosition=%j under its name, once', async (minPosition) => {
    const result = await validateRequest(ReadQuery, { minPosition });
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual(['minPosition']);
  });

  it.each<[Record<string, string>, string[]]>([
    [{ asOf: '2025-02-30' }, ['asOf']],
    [{ knownAt: '2026-01-01' }, ['knownAt']],
    [{ knownAt: '2026-01-01T00:00:00' }, ['knownAt']],
    [{ knownAt: '2026-01-01T08:00:00+08:00', asOf: '2025-12-31' }, []],
    [{ country: 'cn' }, ['country']],
    [{ technologyRoute: 'Semi Solid' }, ['technologyRoute']],
    [{ unknown: 'x' }, ['unknown']],
  ])('company capacity %j fails on %j', async (query, fields) => {
    expect(await fieldsFailing(CompanyCapacityQuery, query)).toEqual(fields);
  });

  it('names from when it is after to, and only then', async () => {
    expect(await fieldsFailing(CapacityTimelineQuery, { from: '2025-02-01', to: '2025-01-31' })).toEqual(['from']);
    expect(await fieldsFailing(FinancingRoundsQuery, { from: '2025-01-31', to: '2025-01-31' })).toEqual([]);
    expect(await fieldsFailing(CapacityTimelineQuery, { from: '2025-02-01', to: 'soon' })).toEqual(['to']);
    expect(await fieldsFailing(CapacityTimelineQuery, { interval: 'week' })).toEqual(['interval']);
  });

  it('takes a route timeline limit from 1 to 1000 and only cursors the timeline made', async () => {
    const cursor = encodeTimelineCursor({ on: '2025-12-28', position: 42 });
    expect(await fieldsFailing(RouteTimelineQuery, { limit: '1000', cursor })).toEqual([]);
    expect(await fieldsFailing(RouteTimelineQuery, { limit: '0' })).toEqual(['limit']);
    expect(await fieldsFailing(RouteTimelineQuery, { limit: '1001' })).toEqual(['limit']);
    expect(await fieldsFailing(RouteTimelineQuery, { limit: '1.5' })).toEqual(['limit']);
    expect(await fieldsFailing(RouteTimelineQuery, { cursor: 'bm90LWEtY3Vyc29y' })).toEqual(['cursor']);
  });

  it('requires importer, origin and product for the effective tariff', async () => {
    expect(await fieldsFailing(EffectiveTariffQuery, {})).toEqual(['importer', 'origin', 'product']);
    expect(await fieldsFailing(EffectiveTariffQuery, { importer: 'EU', origin: 'CN', product: 'bev' })).toEqual([]);
  });
});

describe('resolveQueryTime', () => {
  const now = new Date('2026-01-05T10:20:30.000Z');

  it('defaults asOf to the UTC day and knownAt to the instant of the request', () => {
    expect(resolveQueryTime({}, now)).toEqual({ asOf: '2026-01-05', knownAt: '2026-01-05T10:20:30.000Z' });
  });

  it('keeps what the client gave', () => {
    expect(resolveQueryTime({ asOf: '2024-12-31', knownAt: '2025-03-01T00:00:00Z' }, now)).toEqual({ asOf: '2024-12-31', knownAt: '2025-03-01T00:00:00Z' });
  });
});
