import { Controller, Query } from '@nestjs/common';
import { FinancingAnswer, financingRounds } from '@bsc/projections';
import { ProjectionsService } from './projections.service';
import { resolveQueryTime } from './query-time';
import { ReadController, ReadEndpoint } from './read-endpoint.decorator';
import { FINANCING_ROUNDS_EXAMPLE } from './read-examples';
import { FinancingRoundsQuery } from './read-queries.dto';

@ReadController()
@Controller('v1/financing-rounds')
export class FinancingRoundsReadController {
  constructor(private readonly projections: ProjectionsService) {}

  @ReadEndpoint({
    summary: 'Financing rounds with totals per currency',
    description:
      'Rounds closed by asOf (and within from–to) of companies registered by knownAt, by closing date, with a total per currency: ' +
      'amounts are never converted, and a total is `at-least` when its rounds were reported as "over …".',
    example: FINANCING_ROUNDS_EXAMPLE,
  })
  async list(@Query() query: FinancingRoundsQuery): Promise<FinancingAnswer> {
    const state = await this.projections.stateAtLeast(query.minPosition);
    const { companyId, technologyRoute, from, to } = query;
    return financingRounds(state, resolveQueryTime(query), { companyId, technologyRoute, from, to });
  }
}
