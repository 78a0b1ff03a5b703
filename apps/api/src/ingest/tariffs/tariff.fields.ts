import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_TARIFF_RATE_PERCENT, TARIFF_PRODUCTS, TariffProduct } from '@bsc/domain';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { composeProperty } from '../shared/compose';

/** A non-empty, duplicate-free subset of the tariff product list. */
export const Products = ({ required, example, description = 'Products the measure covers.' }: { required: boolean; example: TariffProduct[]; description?: string }): PropertyDecorator =>
  composeProperty(
    (required ? ApiProperty : ApiPropertyOptional)({ description, enum: TARIFF_PRODUCTS, isArray: true, minItems: 1, uniqueItems: true, example }),
    ...(required ? [] : [IsOptional()]),
    IsArray(),
    ArrayNotEmpty(),
    ArrayUnique(),
    IsIn(TARIFF_PRODUCTS, { each: true }),
  );

/** An ad valorem rate in percent, 0 to 1000. */
export const RatePercent = ({ example, description }: { example: number; description: string }): PropertyDecorator =>
  composeProperty(
    ApiProperty({ description, minimum: 0, maximum: MAX_TARIFF_RATE_PERCENT, example }),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(0),
    Max(MAX_TARIFF_RATE_PERCENT),
  );
