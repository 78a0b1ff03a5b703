import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STANDARD_STAGES, StandardStage } from '@bsc/domain';
import { IsIn } from 'class-validator';
import { MAX_CODE_LENGTH, MAX_LIST_ITEMS, MAX_NAME_LENGTH, MAX_TITLE_LENGTH } from '../shared/limits';
import { Nested, OptionalRouteList, OptionalText, SourceField, Text } from '../shared/field.decorators';
import { RequirementDto } from '../shared/requirement.dto';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate, IsJurisdiction, IsSlug } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class RegisterStandardFields {
  @ApiProperty({ description: 'Your id for the standard; it names the stream `standard-<id>`.', example: 'cn-gb-ssb-ev' })
  @IsSlug()
  standardId!: string;

  @ApiProperty({ description: 'Title of the standard.', maxLength: MAX_TITLE_LENGTH, example: 'Solid-State Batteries for Electric Vehicles' })
  @Text(MAX_TITLE_LENGTH)
  title!: string;

  @ApiProperty({ description: 'Body that issues the standard.', maxLength: MAX_NAME_LENGTH, example: 'MIIT' })
  @Text(MAX_NAME_LENGTH)
  issuer!: string;

  @ApiProperty({ description: 'Where it applies: ISO 3166-1 alpha-2 country or EU.', example: 'CN' })
  @IsJurisdiction()
  jurisdiction!: string;

  @ApiPropertyOptional({ description: 'Official code once assigned (a GB or GB/T number for a Chinese national standard).', maxLength: MAX_CODE_LENGTH, example: 'GB/T' })
  @OptionalText(MAX_CODE_LENGTH)
  code?: string;

  @ApiPropertyOptional({ description: 'Technology routes in the standard\'s scope.', type: [String], maxItems: MAX_LIST_ITEMS, example: ['solid-state-sulphide', 'solid-state-oxide', 'solid-state-polymer', 'solid-state-halide'] })
  @OptionalRouteList()
  technologyRoutes?: string[];

  @ApiProperty({ description: 'The stage the standard is first recorded at.', enum: STANDARD_STAGES, example: 'public-comment' })
  @IsIn(STANDARD_STAGES)
  stage!: StandardStage;

  @ApiProperty({ description: 'Date that stage was reached.', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  on!: string;

  @ApiPropertyOptional({ description: 'Measurable requirements.', type: [RequirementDto], maxItems: MAX_LIST_ITEMS, example: [{ metric: 'specific-energy', operator: '>=', value: 350, unit: 'Wh/kg' }] })
  @Nested(RequirementDto, { required: false, list: true })
  requirements?: RequirementDto[];
}

/** POST /v1/standards → StandardRegistered, carrying the standard's first stage. */
export class RegisterStandardRequest extends RegisterStandardFields {
  static readonly example: RegisterStandardRequest = {
    standardId: 'cn-gb-ssb-ev',
    title: 'Solid-State Batteries for Electric Vehicles',
    issuer: 'MIIT',
    jurisdiction: 'CN',
    technologyRoutes: ['solid-state-sulphide', 'solid-state-oxide', 'solid-state-polymer', 'solid-state-halide'],
    stage: 'public-comment',
    on: '2025-12-31',
    requirements: [],
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
