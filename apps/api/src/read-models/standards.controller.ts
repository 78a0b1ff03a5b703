import { Controller, Param, Query, StreamableFile } from '@nestjs/common';
import { OneStandardAnswer, standardOf, standardsSteps } from '@bsc/projections';
import { SlugParamPipe } from '../ingest/shared/slug-param.pipe';
import { listInSlices } from './list-answer';
import { foundOr404 } from './not-found';
import { ProjectionsService } from './projections.service';
import { resolveQueryTime } from './query-time';
import { ReadController, ReadEndpoint } from './read-endpoint.decorator';
import { ONE_STANDARD_EXAMPLE, STANDARDS_EXAMPLE } from './read-examples';
import { ReadQuery, StandardsQuery } from './read-queries.dto';

@ReadController()
@Controller('v1/standards')
export class StandardsReadController {
  constructor(private readonly projections: ProjectionsService) {}

  @ReadEndpoint({
    summary: 'Standards with their stage',
    description:
      'Every standard registered by knownAt, with its latest stage effective by asOf (null before its first stage) and the date of each stage reached so far; ' +
      'filtered by jurisdiction, a route in its scope, or its stage at asOf. The standards are in `standards`, beside the echo.',
    example: STANDARDS_EXAMPLE,
  })
  async list(@Query() query: StandardsQuery): Promise<StreamableFile> {
    const { jurisdiction, technologyRoute, stage } = query;
    return listInSlices(this.projections, query.minPosition, (state) => standardsSteps(state, resolveQueryTime(query), { jurisdiction, technologyRoute, stage }));
  }

  @ReadEndpoint({
    path: ':standardId',
    summary: 'One standard with its stage history',
    description: 'The standard\'s latest stage effective by asOf and the date of each stage reached so far.',
    example: ONE_STANDARD_EXAMPLE,
    pathParam: { name: 'standardId', description: 'A registered standard.', example: 'cn-gb-ssb-ev' },
  })
  async one(@Param('standardId', SlugParamPipe) standardId: string, @Query() query: ReadQuery): Promise<OneStandardAnswer> {
    const state = await this.projections.stateAtLeast(query.minPosition);
    const time = resolveQueryTime(query);
    return foundOr404(standardOf(state, standardId, time), 'standard', standardId, time.knownAt);
  }
}
