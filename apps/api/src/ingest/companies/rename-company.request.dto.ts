import { ApiProperty } from '@nestjs/swagger';
import { MAX_NAME_LENGTH } from '../shared/limits';
import { SourceField, Text } from '../shared/field.decorators';
import { SMM_CLNB_2025_INDUSTRY_STATUS } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class RenameCompanyFields {
  @ApiProperty({ description: 'The new name (the 2024 Dialogue Earth article still writes "China Aviation Lithium Battery (CALB)"; the 2025 CLNB talk only "CALB").', maxLength: MAX_NAME_LENGTH, example: 'CALB' })
  @Text(MAX_NAME_LENGTH)
  name!: string;

  @ApiProperty({ description: 'Date from which the new name applies (YYYY-MM-DD).', format: 'date', example: '2025-01-01' })
  @IsIsoDate()
  renamedOn!: string;
}

/** POST /v1/companies/{companyId}/renames → CompanyRenamed. */
export class RenameCompanyRequest extends RenameCompanyFields {
  static readonly example: RenameCompanyRequest = {
    name: 'CALB',
    renamedOn: '2025-01-01',
    source: SMM_CLNB_2025_INDUSTRY_STATUS,
  };

  @SourceField(SMM_CLNB_2025_INDUSTRY_STATUS)
  source!: SourceDto;
}
