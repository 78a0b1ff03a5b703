import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_TARIFF_RATE_PERCENT, MEASURE_TYPES, MeasureType, TariffProduct } from '@bsc/domain';
import { IsIn, IsOptional } from 'class-validator';
import { MAX_TITLE_LENGTH } from '../shared/limits';
import { OptionalText, SourceField } from '../shared/field.decorators';
import { SMM_CLNB_2025_INDUSTRY_STATUS } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsCountryCode, IsIsoDate, IsJurisdiction, IsSlug } from '../shared/validators';
import { Products, RatePercent } from './tariff.fields';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class ImposeTariffMeasureFields {
  @ApiProperty({ description: 'Your id for the measure; it names the stream `tariff-<id>`.', example: 'eu-cn-bev-countervailing-2024' })
  @IsSlug()
  measureId!: string;

  @ApiProperty({ description: 'Importing jurisdiction: ISO 3166-1 alpha-2 country or EU.', example: 'EU' })
  @IsJurisdiction()
  importer!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2 country of origin of the goods.', example: 'CN' })
  @IsCountryCode()
  origin!: string;

  @Products({ required: true, example: ['bev'] })
  products!: TariffProduct[];

  @ApiProperty({ description: 'Legal kind of the duty; record each component separately.', enum: MEASURE_TYPES, example: 'countervailing' })
  @IsIn(MEASURE_TYPES)
  measureType!: MeasureType;

  @RatePercent({ example: 35.3, description: `Ad valorem rate in percent (0-${MAX_TARIFF_RATE_PERCENT}); the EU duty is up to 35.3 % on top of the 10 % MFN duty.` })
  ratePercent!: number;

  @ApiProperty({ description: 'First day the measure applies.', format: 'date', example: '2024-10-31' })
  @IsIsoDate()
  effectiveFrom!: string;

  @ApiPropertyOptional({ description: 'Exclusive end: the measure applies on days strictly before it; must be after effectiveFrom.', format: 'date', example: '2029-10-31' })
  @IsOptional()
  @IsIsoDate()
  effectiveUntil?: string;

  @ApiProperty({ description: 'Date the measure was announced.', format: 'date', example: '2024-10-29' })
  @IsIsoDate()
  announcedOn!: string;

  @ApiPropertyOptional({ description: 'The legal act, as cited.', maxLength: MAX_TITLE_LENGTH, example: 'EU definitive countervailing duty on battery electric vehicles from China (five years)' })
  @OptionalText(MAX_TITLE_LENGTH)
  legalReference?: string;
}

/** POST /v1/tariff-measures → TariffMeasureImposed: one legal component of a tariff, not a pre-added total. */
export class ImposeTariffMeasureRequest extends ImposeTariffMeasureFields {
  static readonly example: ImposeTariffMeasureRequest = {
    measureId: 'eu-cn-bev-countervailing-2024',
    importer: 'EU',
    origin: 'CN',
    products: ['bev'],
    measureType: 'countervailing',
    ratePercent: 35.3,
    effectiveFrom: '2024-10-31',
    effectiveUntil: '2029-10-31',
    announcedOn: '2024-10-29',
    legalReference: 'EU definitive countervailing duty on battery electric vehicles from China (five years)',
    source: SMM_CLNB_2025_INDUSTRY_STATUS,
  };

  @SourceField(SMM_CLNB_2025_INDUSTRY_STATUS)
  source!: SourceDto;
}
