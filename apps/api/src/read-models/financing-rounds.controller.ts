import { Controller, Query, StreamableFile } from '@nestjs/common';
import { financingRoundsSteps } from '@bsc/projections';
import { listInSlices } from './list-answer';
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
  async list(@Query() query: FinancingRoundsQuery): Promise<StreamableFile> {
    const { companyId, technologyRoute, from, to } = query;
    return listInSlices(this.projections, query.minPosition, (state) => financingRoundsSteps(state, resolveQueryTime(query), { companyId, technologyRoute, from, to }));
  }
}
