import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MILESTONE_STAGES, MilestoneStage } from '@bsc/domain';
import { IsIn, IsOptional } from 'class-validator';
import { MAX_LIST_ITEMS, MAX_TEXT_LENGTH } from '../shared/limits';
import { MetricDto } from '../shared/metric.dto';
import { Nested, SourceField, Text } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate, IsKnownRouteId, IsSlug } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class RecordMilestoneFields {
  @ApiProperty({ description: 'Your id for the milestone.', example: 'xinjie-energy-lithium-metal-mass-production' })
  @IsSlug()
  milestoneId!: string;

  @ApiProperty({ description: 'The technology route the milestone belongs to (422 when unknown).', example: 'lithium-metal' })
  @IsKnownRouteId()
  technologyRoute!: string;

  @ApiProperty({ description: 'Stage reached.', enum: MILESTONE_STAGES, example: 'mass-production' })
  @IsIn(MILESTONE_STAGES)
  stage!: MilestoneStage;

  @ApiProperty({ description: 'Date the stage was reached.', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  achievedOn!: string;

  @ApiProperty({ description: 'One or two sentences on what was achieved.', maxLength: MAX_TEXT_LENGTH, example: 'Xinjie Energy began GWh-level mass production of solid-state lithium-metal batteries on a 2 GWh line.' })
  @Text(MAX_TEXT_LENGTH)
  description!: string;

  @ApiPropertyOptional({ description: 'The registered company that reached it, if any (422 when unknown).', example: 'xinjie-energy' })
  @IsOptional()
  @IsSlug()
  companyId?: string;

  @ApiPropertyOptional({ description: 'Figures reported with the milestone.', type: [MetricDto], maxItems: MAX_LIST_ITEMS, example: [{ name: 'energy-density', value: 348.5, unit: 'Wh/kg' }] })
  @Nested(MetricDto, { required: false, list: true })
  metrics?: MetricDto[];
}

/** POST /v1/technology-milestones → TechnologyMilestoneReached on the route's stream. */
export class RecordMilestoneRequest extends RecordMilestoneFields {
  static readonly example: RecordMilestoneRequest = {
    milestoneId: 'xinjie-energy-lithium-metal-mass-production',
    technologyRoute: 'lithium-metal',
    stage: 'mass-production',
    achievedOn: '2025-12-31',
    description: 'Xinjie Energy began GWh-level mass production of solid-state lithium-metal batteries on a 2 GWh line.',
    companyId: 'xinjie-energy',
    metrics: [{ name: 'capacity', value: 2, unit: 'GWh' }],
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
