import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROUND_TYPES, RoundType } from '@bsc/domain';
import { IsIn } from 'class-validator';
import { MAX_CODE_LENGTH, MAX_LIST_ITEMS, MAX_NAME_LENGTH } from '../shared/limits';
import { MoneyDto } from '../shared/money.dto';
import { Nested, OptionalRouteList, OptionalText, OptionalTextList, SourceField } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsIsoDate, IsSlug } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class CloseFinancingRoundFields {
  @ApiProperty({ description: 'Your id for the round, unique within the company.', example: 'taland-2025-12-industrialisation' })
  @IsSlug()
  roundId!: string;

  @ApiProperty({ description: 'The registered company that raised the money (422 when unknown).', example: 'taland-new-energy' })
  @IsSlug()
  companyId!: string;

  @ApiProperty({ description: 'Round type from the fixed list; `other` when the report does not say.', enum: ROUND_TYPES, example: 'other' })
  @IsIn(ROUND_TYPES)
  roundType!: RoundType;

  @ApiPropertyOptional({ description: 'The round as reported ("B+", "strategic").', maxLength: MAX_CODE_LENGTH, example: 'strategic' })
  @OptionalText(MAX_CODE_LENGTH)
  roundLabel?: string;

  @ApiProperty({ type: MoneyDto, description: 'Amount in the currency reported (Taland New Energy: over 400 million yuan).', example: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' } })
  @Nested(MoneyDto)
  amount!: MoneyDto;

  @ApiProperty({ description: 'Date the round closed or was reported closed.', format: 'date', example: '2025-12-31' })
  @IsIsoDate()
  closedOn!: string;

  @ApiPropertyOptional({ description: 'Investors named in the report.', type: [String], maxItems: MAX_LIST_ITEMS, example: [] })
  @OptionalTextList(MAX_NAME_LENGTH)
  investors?: string[];

  @ApiPropertyOptional({ description: 'Technology routes the money is for (oxide-polymer composite solid-state).', type: [String], maxItems: MAX_LIST_ITEMS, example: ['solid-state-oxide', 'solid-state-polymer'] })
  @OptionalRouteList()
  technologyRoutes?: string[];
}

/** POST /v1/financing-rounds → FinancingRoundClosed on the company's stream. */
export class CloseFinancingRoundRequest extends CloseFinancingRoundFields {
  static readonly example: CloseFinancingRoundRequest = {
    roundId: 'taland-2025-12-industrialisation',
    companyId: 'taland-new-energy',
    roundType: 'other',
    amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
    closedOn: '2025-12-31',
    investors: [],
    technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
