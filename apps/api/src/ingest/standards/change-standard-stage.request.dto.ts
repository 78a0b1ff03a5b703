import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STANDARD_STAGES, StandardStage } from '@bsc/domain';
import { IsIn } from 'class-validator';
import { MAX_CODE_LENGTH } from '../shared/limits';
import { OptionalText, SourceField } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class ChangeStandardStageFields {
  @ApiProperty({ description: 'The stage reached; no stage after `withdrawn`.', enum: STANDARD_STAGES, example: 'public-comment' })
  @IsIn(STANDARD_STAGES)
  stage!: StandardStage;

  @ApiProperty({ description: 'Date the stage was reached.', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  on!: string;

  @ApiPropertyOptional({ description: 'Official code, when this stage assigns one.', maxLength: MAX_CODE_LENGTH, example: 'GB/T' })
  @OptionalText(MAX_CODE_LENGTH)
  code?: string;
}

/** POST /v1/standards/{standardId}/stages → StandardStageChanged. */
export class ChangeStandardStageRequest extends ChangeStandardStageFields {
  static readonly example: ChangeStandardStageRequest = { stage: 'public-comment', on: '2025-12-31', source: SMM_SOLID_STATE_WEEKLY };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
