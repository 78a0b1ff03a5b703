import { Controller, Param, Query, StreamableFile } from '@nestjs/common';
import {
  CapacityTimelineAnswer,
  OneCompanyCapacityAnswer,
  companyCapacitySteps,
  companyCapacityOf,
  companyCapacityTimeline,
  defaultTimelineFrom,
} from '@bsc/projections';
import { validationProblem } from '../http/problem';
import { SlugParamPipe } from '../ingest/shared/slug-param.pipe';
import { foundOr404 } from './not-found';
import { listInSlices } from './list-answer';
import { ProjectionsService } from './projections.service';
import { resolveQueryTime } from './query-time';
import { ReadController, ReadEndpoint } from './read-endpoint.decorator';
import { CAPACITY_TIMELINE_EXAMPLE, COMPANY_CAPACITY_EXAMPLE, ONE_COMPANY_CAPACITY_EXAMPLE } from './read-examples';
import { CapacityTimelineQuery, CompanyCapacityQuery, ReadQuery } from './read-queries.dto';

const COMPANY_PARAM = { name: 'companyId', description: 'A registered company.', example: 'xinjie-energy' };
const BUCKET_MAPS = ['byRoute', 'byCountry'] as const;

@ReadController()
@Controller('v1')
export class CompanyCapacityController {
  constructor(private readonly projections: ProjectionsService) {}

  @ReadEndpoint({
    path: 'read-models/company-capacity',
    summary: 'Capacity per company',
    description:
      'Operational, under-construction, announced, pipeline, suspended and cancelled GWh per company at asOf as known at knownAt, ' +
      'broken down by technology route and plant country, with totals. Route and country filters select plants; headquartersCountry selects companies.',
    example: COMPANY_CAPACITY_EXAMPLE,
    mapKeys: BUCKET_MAPS,
  })
  async list(@Query() query: CompanyCapacityQuery): Promise<StreamableFile> {
    const { technologyRoute, country, headquartersCountry } = query;
    return listInSlices(this.projections, query.minPosition, (state) => companyCapacitySteps(state, resolveQueryTime(query), { technologyRoute, country, headquartersCountry }));
  }

  @ReadEndpoint({
    path: 'companies/:companyId/capacity',
    summary: 'One company\'s capacity, with its plants',
    description: 'The company\'s buckets as in company-capacity, plus each plant\'s status, planned and commissioned GWh at asOf.',
    example: ONE_COMPANY_CAPACITY_EXAMPLE,
    mapKeys: BUCKET_MAPS,
    pathParam: COMPANY_PARAM,
  })
  async one(@Param('companyId', SlugParamPipe) companyId: string, @Query() query: ReadQuery): Promise<OneCompanyCapacityAnswer> {
    const state = await this.projections.stateAtLeast(query.minPosition);
    const time = resolveQueryTime(query);
    return foundOr404(companyCapacityOf(state, companyId, time), 'company', companyId, time.knownAt);
  }

  @ReadEndpoint({
    path: 'companies/:companyId/capacity/timeline',
    summary: 'One company\'s capacity over time',
    description:
      'The company\'s buckets at the end of each month, quarter or year from `from` to `to` (the last point is `to` itself), all as known at knownAt. ' +
      '`to` defaults to asOf, `from` to 1 January five years earlier, `interval` to quarter; the answer echoes `to` as asOf.',
    example: CAPACITY_TIMELINE_EXAMPLE,
    pathParam: COMPANY_PARAM,
  })
  async timeline(@Param('companyId', SlugParamPipe) companyId: string, @Query() query: CapacityTimelineQuery): Promise<CapacityTimelineAnswer> {
    const state = await this.projections.stateAtLeast(query.minPosition);
    const { asOf, knownAt } = resolveQueryTime(query);
    const to = query.to ?? asOf;
    const from = query.from ?? defaultTimelineFrom(to);
    if (from > to) throw validationProblem([{ field: 'from', message: `must not be after to (${to})` }]);
    try {
      const answer = companyCapacityTimeline(state, companyId, { from, to, interval: query.interval ?? 'quarter', knownAt });
      return foundOr404(answer, 'company', companyId, knownAt);
    } catch (error) {
      // The one other RangeError of the timeline: a range with more points than one answer may hold.
      if (error instanceof RangeError) throw validationProblem([{ field: 'from', message: `${error.message}; narrow the range or choose a longer interval` }]);
      throw error;
    }
  }
}
