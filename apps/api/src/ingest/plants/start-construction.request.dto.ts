import { ApiProperty } from '@nestjs/swagger';
import { SourceField } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class StartConstructionFields {
  @ApiProperty({ description: 'Date construction started; not before the announcement (Luochu Technology, 2 GWh semi-solid, late December 2025).', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  startedOn!: string;
}

/** POST /v1/plants/{plantId}/construction-starts → PlantConstructionStarted. */
export class StartConstructionRequest extends StartConstructionFields {
  static readonly example: StartConstructionRequest = { startedOn: '2025-12-31', source: SMM_SOLID_STATE_WEEKLY };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
