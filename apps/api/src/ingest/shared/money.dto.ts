import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AMOUNT_QUALIFIERS, AmountQualifier, Money } from '@bsc/domain';
import { IsIn, IsNumber, IsOptional, IsPositive } from 'class-validator';
import { IsCurrencyCode } from './validators';

/** An amount as reported, in its own currency: no FX conversion happens anywhere. */
export class MoneyDto implements Money {
  @ApiProperty({ description: 'Amount in units of the currency (not thousands or millions).', exclusiveMinimum: true, minimum: 0, example: 400_000_000 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  value!: number;

  @ApiProperty({ description: 'ISO 4217 currency code, upper case.', example: 'CNY' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({
    description: 'How the report states the amount ("over 400 million yuan" is at-least).',
    enum: AMOUNT_QUALIFIERS,
    default: 'exact',
    example: 'at-least',
  })
  @IsOptional()
  @IsIn(AMOUNT_QUALIFIERS)
  qualifier: AmountQualifier = 'exact';
}
