import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isInstant } from '@bsc/domain';
import { READ_MODEL_NAMES, ReadModelName } from '@bsc/audit';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { INSTANT_RULE } from '../read-models/read-queries.dto';
import { IsIsoDate } from '../ingest/shared/validators';

/** One page of history at most; larger pages would hold the event loop and the client's memory too long. */
export const MAX_PAGE_LIMIT = 1000;
export const DEFAULT_PAGE_LIMIT = 100;

/** Query strings are strings: only plain digit strings become numbers, so `-1`, `1.5` or `x` fail under their own name. */
const digitsToNumber = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value));

const IsIntegerIn = (min: number, max: number, what: string): PropertyDecorator =>
  ValidateBy({
    name: 'isIntegerIn',
    validator: {
      validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
      defaultMessage: () => `must be an integer from ${min} to ${max}${what}`,
    },
  });

/** An optional integer query parameter: digits only, converted, then bounded. */
const OptionalIntegerIn = (min: number, max: number, what: string): PropertyDecorator => applyDecorators(IsOptional(), digitsToNumber, IsIntegerIn(min, max, what));

const IsInstant = (): PropertyDecorator =>
  ValidateBy({ name: 'isInstant', validator: { validate: (value: unknown) => isInstant(value), defaultMessage: () => INSTANT_RULE } });

const PageLimit = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ description: `Events per page, at most ${MAX_PAGE_LIMIT}.`, type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT, example: 100 }),
    OptionalIntegerIn(1, MAX_PAGE_LIMIT, ''),
  );

export class AuditEventsQuery {
  @ApiPropertyOptional({
    description:
      'First global log position to include: a previous page\'s `nextPosition` or an event\'s `position`. Defaults to the start of the log. ' +
      'On EventStoreDB positions are byte offsets: one where no event starts is refused (400 `position-not-in-log`).',
    type: 'integer',
    minimum: 1,
    example: 1,
  })
  @OptionalIntegerIn(1, Number.MAX_SAFE_INTEGER, ': a global log position')
  fromPosition?: number;

  @PageLimit()
  limit?: number;

  @ApiPropertyOptional({ description: 'Only events of this type.', example: 'CapacityAnnounced' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9]{0,99}$/, { message: 'must be an event type name such as CapacityAnnounced' })
  type?: string;

  @ApiPropertyOptional({ description: 'Only events of this stream.', example: 'plant-xinjie-2gwh' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  streamId?: string;

  @ApiPropertyOptional({ description: 'Only events recorded at or after this instant (RFC 3339; write + as %2B).', format: 'date-time', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  recordedFrom?: string;

  @ApiPropertyOptional({ description: 'Only events recorded at or before this instant (RFC 3339; write + as %2B).', format: 'date-time', example: '2026-01-31T23:59:59Z' })
  @IsOptional()
  @IsInstant()
  recordedTo?: string;
}

export class StreamEventsQuery {
  @ApiPropertyOptional({ description: 'First revision to include (a previous page\'s `nextRevision`). Defaults to 0.', type: 'integer', minimum: 0, example: 0 })
  @OptionalIntegerIn(0, Number.MAX_SAFE_INTEGER, ': a stream revision')
  fromRevision?: number;

  @PageLimit()
  limit?: number;
}

export class AnchorQuery {
  @ApiPropertyOptional({ description: 'Global log position to anchor. Defaults to the head of the log.', type: 'integer', minimum: 0, example: 1234 })
  @OptionalIntegerIn(0, Number.MAX_SAFE_INTEGER, ': a global log position')
  position?: number;
}

export class VerifyAnchorRequest {
  @ApiProperty({ description: 'The position of the saved anchor.', type: 'integer', minimum: 0, example: 1234 })
  @IsIntegerIn(0, Number.MAX_SAFE_INTEGER, ': a global log position')
  position!: number;

  @ApiProperty({ description: 'The saved digest: 64 lower-case hex characters.', example: '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 digest: 64 lower-case hex characters' })
  digest!: string;
}

export class ReplayRequestBody {
  @ApiProperty({ description: 'The read model to rebuild.', enum: READ_MODEL_NAMES, example: 'company-capacity' })
  @IsIn(READ_MODEL_NAMES, { message: `must be one of: ${READ_MODEL_NAMES.join(', ')}` })
  readModel!: ReadModelName;

  @ApiPropertyOptional({
    description:
      'The read endpoint\'s query parameters, plus the id its path takes (`companyId` for company and company-capacity-timeline, ' +
      '`routeId` for technology-route-timeline, `standardId` for standard). Not asOf, knownAt or minPosition: those are top-level.',
    type: 'object',
    additionalProperties: true,
    example: { headquartersCountry: 'CN' },
  })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Valid time. Defaults to today (UTC).', format: 'date', example: '2025-12-31' })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Transaction time: replay only events recorded by this instant. Defaults to now.', format: 'date-time', example: '2026-01-05T00:00:00Z' })
  @IsOptional()
  @IsInstant()
  knownAt?: string;
}

export class LiveFeedQuery {
  @ApiPropertyOptional({
    description:
      'Resume after this position, for clients that cannot set the Last-Event-ID header (the header wins). ' +
      'It must be an event\'s position (an `id` received) or 0; on EventStoreDB another is refused (400 `position-not-in-log`).',
    type: 'integer',
    minimum: 0,
    example: 1234,
  })
  @OptionalIntegerIn(0, Number.MAX_SAFE_INTEGER, ': a global log position')
  lastEventId?: number;
}
