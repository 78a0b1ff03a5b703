import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Source } from '@bsc/domain';
import { IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { MAX_NAME_LENGTH, MAX_TITLE_LENGTH, MAX_URL_LENGTH } from './limits';
import { SMM_SOLID_STATE_WEEKLY } from './seed-sources';
import { IsIsoDate } from './validators';

/** Provenance of a fact: no fact without a source. */
export class SourceDto implements Source {
  @ApiProperty({ description: 'Who published the report the fact is taken from.', maxLength: MAX_NAME_LENGTH, example: SMM_SOLID_STATE_WEEKLY.publisher })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  publisher!: string;

  @ApiPropertyOptional({ description: 'Title of the report.', maxLength: MAX_TITLE_LENGTH, example: SMM_SOLID_STATE_WEEKLY.title })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TITLE_LENGTH)
  title?: string;

  @ApiPropertyOptional({ description: 'Where the report can be read (http or https).', format: 'uri', maxLength: MAX_URL_LENGTH, example: SMM_SOLID_STATE_WEEKLY.url })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http or https URL' })
  @MaxLength(MAX_URL_LENGTH)
  url?: string;

  @ApiPropertyOptional({ description: 'Publication date of the report (YYYY-MM-DD).', format: 'date', example: SMM_SOLID_STATE_WEEKLY.publishedOn })
  @IsOptional()
  @IsIsoDate()
  publishedOn?: string;
}
