import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_TEXT_LENGTH } from '../shared/limits';
import { OptionalText, SourceField } from '../shared/field.decorators';
import { SMM_CLNB_2025_INDUSTRY_STATUS } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class PlantStatusChangeFields {
  @ApiProperty({ description: 'Date the plant was suspended, resumed or cancelled.', format: 'date', example: '2025-01-01' })
  @IsIsoDate()
  on!: string;

  @ApiPropertyOptional({ description: 'Why, as reported.', maxLength: MAX_TEXT_LENGTH, example: 'Low capacity utilisation amid intense competition.' })
  @OptionalText(MAX_TEXT_LENGTH)
  reason?: string;
}

/** POST /v1/plants/{plantId}/suspensions · /resumptions · /cancellations share this body. */
export class PlantStatusChangeRequest extends PlantStatusChangeFields {
  static readonly example: PlantStatusChangeRequest = {
    on: '2025-01-01',
    reason: 'Low capacity utilisation amid intense competition.',
    source: SMM_CLNB_2025_INDUSTRY_STATUS,
  };

  @SourceField(SMM_CLNB_2025_INDUSTRY_STATUS)
  source!: SourceDto;
}
