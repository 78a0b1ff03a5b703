import { ApiProperty } from '@nestjs/swagger';
import { TariffProduct } from '@bsc/domain';
import { SourceField } from '../shared/field.decorators';
import { SMM_CLNB_2025_INDUSTRY_STATUS } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';
import { Products, RatePercent } from './tariff.fields';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class ChangeTariffRateFields {
  @RatePercent({ example: 82.4, description: 'The new rate in percent (0-1000): US tariffs on Chinese ESS and consumer Li-ion batteries rise from 57.4 % to 82.4 % on 2026-01-01.' })
  ratePercent!: number;

  @ApiProperty({ description: 'First day the new rate applies.', format: 'date', example: '2026-01-01' })
  @IsIsoDate()
  effectiveFrom!: string;

  @Products({ required: false, example: ['ess-battery', 'consumer-battery'], description: 'Limits the change to some of the measure\'s products; all of them when left out.' })
  products?: TariffProduct[];
}

/** POST /v1/tariff-measures/{measureId}/rate-changes → TariffRateChanged (scheduled or enacted). */
export class ChangeTariffRateRequest extends ChangeTariffRateFields {
  static readonly example: ChangeTariffRateRequest = {
    ratePercent: 82.4,
    effectiveFrom: '2026-01-01',
    products: ['ess-battery', 'consumer-battery'],
    source: SMM_CLNB_2025_INDUSTRY_STATUS,
  };

  @SourceField(SMM_CLNB_2025_INDUSTRY_STATUS)
  source!: SourceDto;
}
