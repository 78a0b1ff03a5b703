// class-transformer's @Type reads design metadata; the CLI import loads these DTOs without Nest.
import 'reflect-metadata';
import { ApiProperty } from '@nestjs/swagger';
import { Source } from '@bsc/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { MAX_LIST_ITEMS } from './limits';
import { IsKnownRouteId } from './validators';
import { SourceDto } from './source.dto';
import { composeProperty } from './compose';

/** A non-blank string of bounded length (names, titles, reasons). */
export const Text = (maxLength: number): PropertyDecorator =>
  composeProperty(IsString(), IsNotEmpty(), MaxLength(maxLength));

export const OptionalText = (maxLength: number): PropertyDecorator => composeProperty(IsOptional(), Text(maxLength));

/** An optional list of non-blank strings (aliases, partners, investors), at most 100 of them. */
export const OptionalTextList = (maxLength: number): PropertyDecorator =>
  composeProperty(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_LIST_ITEMS),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(maxLength, { each: true }),
  );

/** An optional list of distinct technology route ids. */
export const OptionalRouteList = (): PropertyDecorator =>
  composeProperty(IsOptional(), IsArray(), ArrayMaxSize(MAX_LIST_ITEMS), ArrayUnique(), IsKnownRouteId({ each: true }));

/** A nested object checked with its own DTO; `required` false lets it be left out. */
export const Nested = (dto: new () => object, { required = true, list = false } = {}): PropertyDecorator =>
  composeProperty(
    ...(required ? [] : [IsOptional()]),
    ...(list ? [IsArray(), ArrayMaxSize(MAX_LIST_ITEMS)] : [IsObject()]),
    ValidateNested({ each: list }),
    Type(() => dto),
  );

/** The `source` every write carries, documented with the article the example fact comes from. */
export const SourceField = (example: Source): PropertyDecorator =>
  composeProperty(
    ApiProperty({ type: SourceDto, description: 'Provenance: the report this fact is taken from.', example }),
    Nested(SourceDto),
  );
