import { Controller, Query, StreamableFile } from '@nestjs/common';
import { overseasExpansionSteps } from '@bsc/projections';
import { listInSlices } from './list-answer';
import { ProjectionsService } from './projections.service';
import { resolveQueryTime } from './query-time';
import { ReadController, ReadEndpoint } from './read-endpoint.decorator';
import { OVERSEAS_EXPANSION_EXAMPLE } from './read-examples';
import { OverseasExpansionQuery } from './read-queries.dto';

@ReadController()
@Controller('v1/read-models/overseas-expansion')
export class OverseasExpansionController {
  constructor(private readonly projections: ProjectionsService) {}

  @ReadEndpoint({
    summary: 'Domestic vs overseas capacity',
    description:
      'Per company and in total: operational and pipeline GWh in the headquarters country and abroad, the overseas share of operational capacity (0–1), ' +
      'and each destination country with its plants.',
    example: OVERSEAS_EXPANSION_EXAMPLE,
  })
  async get(@Query() query: OverseasExpansionQuery): Promise<StreamableFile> {
    const { headquartersCountry, technologyRoute } = query;
    return listInSlices(this.projections, query.minPosition, (state) => overseasExpansionSteps(state, resolveQueryTime(query), { headquartersCountry, technologyRoute }));
  }
}
