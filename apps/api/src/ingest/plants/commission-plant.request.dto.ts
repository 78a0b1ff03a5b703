import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PLANT_CAPACITY_GWH } from '@bsc/domain';
import { IsNumber, IsPositive, Max } from 'class-validator';
import { MAX_NAME_LENGTH } from '../shared/limits';
import { OptionalText, SourceField } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class CommissionPlantFields {
  @ApiProperty({ description: 'Date the capacity went into production (Xinjie Energy, late December 2025).', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  commissionedOn!: string;

  @ApiProperty({ description: `Capacity brought on line by this commissioning, GWh per year (positive, at most ${MAX_PLANT_CAPACITY_GWH}).`, exclusiveMinimum: true, minimum: 0, maximum: MAX_PLANT_CAPACITY_GWH, example: 2 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(MAX_PLANT_CAPACITY_GWH)
  capacityGwh!: number;

  @ApiPropertyOptional({ description: 'Which phase or line, as reported.', maxLength: MAX_NAME_LENGTH, example: 'GWh-level solid-state lithium-metal line' })
  @OptionalText(MAX_NAME_LENGTH)
  phase?: string;
}

/** POST /v1/plants/{plantId}/commissionings → PlantCommissioned; phases add up. */
export class CommissionPlantRequest extends CommissionPlantFields {
  static readonly example: CommissionPlantRequest = {
    commissionedOn: '2025-12-31',
    capacityGwh: 2,
    phase: 'GWh-level solid-state lithium-metal line',
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
