import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_LIST_ITEMS, MAX_NAME_LENGTH } from '../shared/limits';
import { OptionalTextList, SourceField, Text } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsCountryCode, IsSlug } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class RegisterCompanyFields {
  @ApiProperty({ description: 'Your id for the company, a lower-case slug; it names the stream `company-<id>`.', example: 'xinjie-energy' })
  @IsSlug()
  companyId!: string;

  @ApiProperty({ description: 'Name as commonly reported.', maxLength: MAX_NAME_LENGTH, example: 'Xinjie Energy' })
  @Text(MAX_NAME_LENGTH)
  name!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2 country of the headquarters; plants elsewhere count as overseas.', example: 'CN' })
  @IsCountryCode()
  headquartersCountry!: string;

  @ApiPropertyOptional({ description: 'Other names the company is reported under.', type: [String], maxItems: MAX_LIST_ITEMS, example: ['China Aviation Lithium Battery', 'CALB'] })
  @OptionalTextList(MAX_NAME_LENGTH)
  aliases?: string[];

  @ApiPropertyOptional({ description: 'Markets the company serves, as reported.', type: [String], maxItems: MAX_LIST_ITEMS, example: ['robotics', 'drones', 'consumer-electronics'] })
  @OptionalTextList(MAX_NAME_LENGTH)
  segments?: string[];
}

/** POST /v1/companies → CompanyRegistered. */
export class RegisterCompanyRequest extends RegisterCompanyFields {
  static readonly example: RegisterCompanyRequest = {
    companyId: 'xinjie-energy',
    name: 'Xinjie Energy',
    headquartersCountry: 'CN',
    aliases: [],
    segments: ['robotics', 'drones', 'consumer-electronics'],
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
