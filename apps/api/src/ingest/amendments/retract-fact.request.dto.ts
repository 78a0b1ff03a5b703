import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { MAX_TEXT_LENGTH } from '../shared/limits';
import { SourceField, Text } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class RetractFactFields {
  @ApiProperty({ description: 'Id of the event to retract.', format: 'uuid', example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  @IsUUID()
  eventId!: string;

  @ApiProperty({ description: 'Why the fact is withdrawn.', maxLength: MAX_TEXT_LENGTH, example: 'Yugong High-Tech makes production equipment; its funding was recorded as a battery maker\'s round by mistake.' })
  @Text(MAX_TEXT_LENGTH)
  reason!: string;
}

/** POST /v1/retractions → FactRetracted: the fact drops out of every answer known after this. */
export class RetractFactRequest extends RetractFactFields {
  static readonly example: RetractFactRequest = {
    eventId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    reason: 'Yugong High-Tech makes production equipment; its funding was recorded as a battery maker\'s round by mistake.',
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
