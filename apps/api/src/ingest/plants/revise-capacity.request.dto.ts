import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PLANT_CAPACITY_GWH } from '@bsc/domain';
import { IsNumber, IsPositive, Max } from 'class-validator';
import { MAX_TEXT_LENGTH } from '../shared/limits';
import { OptionalText, SourceField } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class ReviseCapacityFields {
  @ApiProperty({ description: `The plant's new planned capacity in GWh per year (positive, at most ${MAX_PLANT_CAPACITY_GWH}).`, exclusiveMinimum: true, minimum: 0, maximum: MAX_PLANT_CAPACITY_GWH, example: 2 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(MAX_PLANT_CAPACITY_GWH)
  plannedCapacityGwh!: number;

  @ApiProperty({ description: 'Date from which the new plan applies.', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  revisedOn!: string;

  @ApiPropertyOptional({ description: 'Why the plan changed, as reported.', maxLength: MAX_TEXT_LENGTH, example: 'Reported as a 2 GWh line in mass production.' })
  @OptionalText(MAX_TEXT_LENGTH)
  reason?: string;
}

/** POST /v1/plants/{plantId}/capacity-revisions → PlantCapacityRevised: a new planned total. */
export class ReviseCapacityRequest extends ReviseCapacityFields {
  static readonly example: ReviseCapacityRequest = {
    plannedCapacityGwh: 2,
    revisedOn: '2025-12-31',
    reason: 'Reported as a 2 GWh line in mass production.',
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
