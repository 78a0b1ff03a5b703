import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmptyObject, IsObject, IsUUID } from 'class-validator';
import { MAX_TEXT_LENGTH } from '../shared/limits';
import { SourceField, Text } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class CorrectFactFields {
  @ApiProperty({ description: 'Id of the event to correct.', format: 'uuid', example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  @IsUUID()
  eventId!: string;

  @ApiProperty({
    description: 'The corrected data fields of that event, with their new values.',
    type: 'object',
    additionalProperties: true,
    example: { amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' } },
  })
  @IsObject()
  @IsNotEmptyObject({ nullable: false }, { message: 'must name at least one corrected field' })
  changes!: Record<string, unknown>;

  @ApiProperty({ description: 'Why the fact is corrected.', maxLength: MAX_TEXT_LENGTH, example: 'The report says "over 400 million yuan": the amount is a lower bound, not exact.' })
  @Text(MAX_TEXT_LENGTH)
  reason!: string;
}

/**
 * POST /v1/corrections → FactCorrected on the stream of the amended fact. `changes` is merged into the
 * original event's data and the result must pass that event's own validation.
 */
export class CorrectFactRequest extends CorrectFactFields {
  static readonly example: CorrectFactRequest = {
    eventId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    changes: { amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' } },
    reason: 'The report says "over 400 million yuan": the amount is a lower bound, not exact.',
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
