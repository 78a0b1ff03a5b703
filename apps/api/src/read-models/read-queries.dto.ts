// class-transformer's @Transform reads design metadata; jest loads these DTOs without Nest.
import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROUTE_FAMILIES, STANDARD_STAGES, TARIFF_PRODUCTS, isInstant, isIsoDate } from '@bsc/domain';
import { DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT, ROUTE_ENTRY_KINDS, TimelineInterval, decodeTimelineCursor } from '@bsc/projections';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, ValidateBy, ValidationArguments } from 'class-validator';
import { composeProperty } from '../ingest/shared/compose';
import { IsCountryCode, IsIsoDate, IsJurisdiction, IsKnownRouteId, IsSlug } from '../ingest/shared/validators';

export const INSTANT_RULE = 'must be an RFC 3339 instant with an offset, e.g. 2026-01-05T00:00:00Z (encode + as %2B)';

const IsInstant = (): PropertyDecorator =>
  ValidateBy({ name: 'isInstant', validator: { validate: (value: unknown) => isInstant(value), defaultMessage: () => INSTANT_RULE } });

/**
 * `from` may not be after the date in `other`; compared only when both are dates, since a malformed one
 * is already reported under its own name.
 */
const NotAfter = (other: string): PropertyDecorator =>
  ValidateBy({
    name: 'notAfter',
    constraints: [other],
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const bound = (args?.object as Record<string, unknown> | undefined)?.[other];
        return !isIsoDate(value) || !isIsoDate(bound) || value <= bound;
      },
      defaultMessage: () => `must not be after ${other}`,
    },
  });

/**
 * Query strings are strings: only plain digit strings become numbers, so `abc`, `1.5`, `-1` and an empty
 * value still fail the position rule under the parameter's name instead of turning into 0 or NaN.
 */
const digitsToNumber = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));

const POSITION_RULE = 'must be a non-negative integer: a global log position, such as a write\'s `position`';

const IsLogPosition = (): PropertyDecorator =>
  ValidateBy({ name: 'isLogPosition', validator: { validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0, defaultMessage: () => POSITION_RULE } });

/** IsIn with a message that lists the choices without repeating the parameter's name, as the other rules do. */
const OneOf = (values: readonly string[]): PropertyDecorator => IsIn(values, { message: `must be one of: ${values.join(', ')}` });

export const TIMELINE_INTERVALS: readonly TimelineInterval[] = ['month', 'quarter', 'year'];

/** The two clocks and read-your-writes, taken by every read. */
export class ReadQuery {
  @ApiPropertyOptional({ description: 'Valid time: the day in the world the answer is for. Defaults to today (UTC).', format: 'date', example: '2025-12-31' })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Transaction time: answer with what had been recorded by this instant (RFC 3339 with an offset; write + as %2B). Defaults to now.',
    format: 'date-time',
    example: '2026-01-05T00:00:00Z',
  })
  @IsOptional()
  @IsInstant()
  knownAt?: string;

  @ApiPropertyOptional({
    description: 'Read your own write: wait (bounded) until the read models reflect this global log position (a write\'s `position`); 504 if they do not in time.',
    type: 'integer',
    minimum: 0,
    example: 42,
  })
  @IsOptional()
  @digitsToNumber
  @IsLogPosition()
  minPosition?: number;
}

const TechnologyRouteFilter = (purpose: string): PropertyDecorator =>
  composeProperty(ApiPropertyOptional({ description: `Technology route id ${purpose}.`, example: 'semi-solid' }), IsOptional(), IsKnownRouteId());

export class CompanyCapacityQuery extends ReadQuery {
  @TechnologyRouteFilter('of the plants to count (companies without such a plant are left out)')
  technologyRoute?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 country of the plants to count.', example: 'HU' })
  @IsOptional()
  @IsCountryCode()
  country?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 headquarters country of the companies to list.', example: 'CN' })
  @IsOptional()
  @IsCountryCode()
  headquartersCountry?: string;
}

export class CapacityTimelineQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'First day of the range. Defaults to 1 January, five years before `to`.', format: 'date', example: '2024-01-01' })
  @IsOptional()
  @IsIsoDate()
  @NotAfter('to')
  from?: string;

  @ApiPropertyOptional({ description: 'Last day of the range (the last point). Defaults to `asOf`.', format: 'date', example: '2025-12-31' })
  @IsOptional()
  @IsIsoDate()
  to?: string;

  @ApiPropertyOptional({ description: 'One point at the end of each period.', enum: TIMELINE_INTERVALS, default: 'quarter', example: 'quarter' })
  @IsOptional()
  @OneOf(TIMELINE_INTERVALS)
  interval?: TimelineInterval;
}

export class OverseasExpansionQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 headquarters country of the companies to list.', example: 'CN' })
  @IsOptional()
  @IsCountryCode()
  headquartersCountry?: string;

  @TechnologyRouteFilter('of the plants to count')
  technologyRoute?: string;
}

export class TechnologyRoutesQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'Only routes of this family.', enum: ROUTE_FAMILIES, example: 'solid-state' })
  @IsOptional()
  @OneOf(ROUTE_FAMILIES)
  family?: string;
}

export class RouteTimelineQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'Only entries dated on or after this day.', format: 'date', example: '2025-01-01' })
  @IsOptional()
  @IsIsoDate()
  @NotAfter('to')
  from?: string;

  @ApiPropertyOptional({ description: 'Only entries dated on or before this day.', format: 'date', example: '2025-12-31' })
  @IsOptional()
  @IsIsoDate()
  to?: string;

  @ApiPropertyOptional({ description: 'Only entries of this kind.', enum: ROUTE_ENTRY_KINDS, example: 'commissioning' })
  @IsOptional()
  @OneOf(ROUTE_ENTRY_KINDS)
  kind?: (typeof ROUTE_ENTRY_KINDS)[number];

  @ApiPropertyOptional({ description: `Entries per page, at most ${MAX_TIMELINE_LIMIT}.`, type: 'integer', minimum: 1, maximum: MAX_TIMELINE_LIMIT, default: DEFAULT_TIMELINE_LIMIT, example: 100 })
  @IsOptional()
  @digitsToNumber
  @ValidateBy({
    name: 'isTimelineLimit',
    validator: { validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_TIMELINE_LIMIT, defaultMessage: () => `must be an integer from 1 to ${MAX_TIMELINE_LIMIT}` },
  })
  limit?: number;

  @ApiPropertyOptional({
    description: 'Where the page starts: the previous page\'s `nextCursor` (opaque). Pass the same asOf, knownAt and filters as for the first page (knownAt from its echo) so pages fit together.',
    example: 'MjAyNS0xMi0yOHw0Mg',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isTimelineCursor',
    validator: { validate: (value: unknown) => typeof value === 'string' && decodeTimelineCursor(value) !== undefined, defaultMessage: () => 'must be a nextCursor from a previous page' },
  })
  cursor?: string;
}

export class EffectiveTariffQuery extends ReadQuery {
  @ApiProperty({ description: 'Importing jurisdiction: ISO 3166-1 alpha-2 country or EU.', example: 'US' })
  @IsJurisdiction()
  importer!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2 country of origin of the goods.', example: 'CN' })
  @IsCountryCode()
  origin!: string;

  @ApiProperty({ description: 'Product category.', enum: TARIFF_PRODUCTS, example: 'ess-battery' })
  @OneOf(TARIFF_PRODUCTS)
  product!: string;
}

export class StandardsQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'Issuing jurisdiction: ISO 3166-1 alpha-2 country or EU.', example: 'CN' })
  @IsOptional()
  @IsJurisdiction()
  jurisdiction?: string;

  @TechnologyRouteFilter('named in the standard\'s scope')
  technologyRoute?: string;

  @ApiPropertyOptional({ description: 'Only standards at this stage on `asOf`.', enum: STANDARD_STAGES, example: 'public-comment' })
  @IsOptional()
  @OneOf(STANDARD_STAGES)
  stage?: string;
}

export class FinancingRoundsQuery extends ReadQuery {
  @ApiPropertyOptional({ description: 'Only rounds of this company.', example: 'taland-new-energy' })
  @IsOptional()
  @IsSlug()
  companyId?: string;

  @TechnologyRouteFilter('the rounds name')
  technologyRoute?: string;

  @ApiPropertyOptional({ description: 'Only rounds closed on or after this day.', format: 'date', example: '2025-01-01' })
  @IsOptional()
  @IsIsoDate()
  @NotAfter('to')
  from?: string;

  @ApiPropertyOptional({ description: 'Only rounds closed on or before this day (rounds after `asOf` are never shown).', format: 'date', example: '2025-12-31' })
  @IsOptional()
  @IsIsoDate()
  to?: string;
}
