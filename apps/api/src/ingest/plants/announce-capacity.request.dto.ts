import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INITIAL_PLANT_STATUSES, InitialPlantStatus, MAX_PLANT_CAPACITY_GWH } from '@bsc/domain';
import { IsIn, IsNumber, IsOptional, IsPositive, Max } from 'class-validator';
import { MAX_LIST_ITEMS, MAX_NAME_LENGTH } from '../shared/limits';
import { OptionalText, OptionalTextList, SourceField } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsCountryCode, IsIsoDate, IsKnownRouteId, IsPartialDate, IsSlug } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class AnnounceCapacityFields {
  @ApiProperty({ description: 'Your id for the plant, a lower-case slug; it names the stream `plant-<id>`.', example: 'luochu-technology-semi-solid-line' })
  @IsSlug()
  plantId!: string;

  @ApiProperty({ description: 'The registered company that builds the plant (422 when unknown).', example: 'luochu-technology' })
  @IsSlug()
  companyId!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2 country where the plant stands.', example: 'CN' })
  @IsCountryCode()
  country!: string;

  @ApiPropertyOptional({ description: 'Province, state or region, as reported (BYD builds its sodium-ion plant in Jiangsu).', maxLength: MAX_NAME_LENGTH, example: 'Jiangsu' })
  @OptionalText(MAX_NAME_LENGTH)
  region?: string;

  @ApiPropertyOptional({ description: 'Name of the plant or line, as reported.', maxLength: MAX_NAME_LENGTH, example: 'Luochu Technology semi-solid-state battery line' })
  @OptionalText(MAX_NAME_LENGTH)
  name?: string;

  @ApiProperty({ description: 'Technology route id from the catalogue (422 when unknown).', example: 'semi-solid' })
  @IsKnownRouteId()
  technologyRoute!: string;

  @ApiProperty({ description: `Planned capacity in GWh per year (positive, at most ${MAX_PLANT_CAPACITY_GWH}).`, exclusiveMinimum: true, minimum: 0, maximum: MAX_PLANT_CAPACITY_GWH, example: 2 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(MAX_PLANT_CAPACITY_GWH)
  plannedCapacityGwh!: number;

  @ApiProperty({ description: 'Date of the announcement (valid time of the fact).', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  announcedOn!: string;

  @ApiPropertyOptional({ description: 'Initial status: news often first reports a construction start.', enum: INITIAL_PLANT_STATUSES, default: 'announced', example: 'under-construction' })
  @IsOptional()
  @IsIn(INITIAL_PLANT_STATUSES)
  status?: InitialPlantStatus;

  @ApiPropertyOptional({ description: 'Target date as reported: 2027, 2027-H2, 2027-Q3, 2027-09 or a full date (CATL aims at small-scale solid-state production in 2027).', example: '2027' })
  @IsOptional()
  @IsPartialDate()
  targetOn?: string;

  @ApiPropertyOptional({ description: 'Partners named in the report.', type: [String], maxItems: MAX_LIST_ITEMS, example: ['Panasonic'] })
  @OptionalTextList(MAX_NAME_LENGTH)
  partners?: string[];
}

/** POST /v1/plants/capacity-announcements → CapacityAnnounced: the first word on a plant. */
export class AnnounceCapacityRequest extends AnnounceCapacityFields {
  static readonly example: AnnounceCapacityRequest = {
    plantId: 'luochu-technology-semi-solid-line',
    companyId: 'luochu-technology',
    country: 'CN',
    technologyRoute: 'semi-solid',
    plannedCapacityGwh: 2,
    announcedOn: '2025-12-31',
    status: 'under-construction',
    name: 'Luochu Technology semi-solid-state battery line',
    partners: [],
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
