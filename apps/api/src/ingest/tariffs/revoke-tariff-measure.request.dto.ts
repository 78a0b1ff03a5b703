import { ApiProperty } from '@nestjs/swagger';
import { SourceField } from '../shared/field.decorators';
import { SMM_CLNB_2025_INDUSTRY_STATUS } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class RevokeTariffMeasureFields {
  @ApiProperty({ description: 'First day the measure no longer applies (the EU duty on Chinese BEVs runs five years from 2024-10-31).', format: 'date', example: '2029-10-31' })
  @IsIsoDate()
  effectiveFrom!: string;
}

/** POST /v1/tariff-measures/{measureId}/revocations → TariffMeasureRevoked. */
export class RevokeTariffMeasureRequest extends RevokeTariffMeasureFields {
  static readonly example: RevokeTariffMeasureRequest = { effectiveFrom: '2029-10-31', source: SMM_CLNB_2025_INDUSTRY_STATUS };

  @SourceField(SMM_CLNB_2025_INDUSTRY_STATUS)
  source!: SourceDto;
}
