import { Controller, Header, Param, Query } from '@nestjs/common';
import { RouteTimelineAnswer, TechnologyRoutesAnswer, technologyRouteTimeline, technologyRoutes } from '@bsc/projections';
import { JSON_CONTENT_TYPE, jsonOfSharedElements } from '../http/json-in-slices';
import { SlugParamPipe } from '../ingest/shared/slug-param.pipe';
import { foundOr404 } from './not-found';
import { ProjectionsService } from './projections.service';
import { resolveQueryTime } from './query-time';
import { ReadController, ReadEndpoint } from './read-endpoint.decorator';
import { ROUTE_TIMELINE_EXAMPLE, TECHNOLOGY_ROUTES_EXAMPLE } from './read-examples';
import { RouteTimelineQuery, TechnologyRoutesQuery } from './read-queries.dto';

@ReadController()
@Controller('v1/technology-routes')
export class TechnologyRoutesReadController {
  constructor(private readonly projections: ProjectionsService) {}

  @ReadEndpoint({
    summary: 'The technology route catalogue with each route\'s progress',
    description:
      'Every route (built in or registered by knownAt) with its family, most advanced stage, first pilot and first mass production dates, ' +
      'and operational and pipeline GWh at asOf. The routes are in `routes`, beside the asOf, knownAt and position every answer echoes.',
    example: TECHNOLOGY_ROUTES_EXAMPLE,
  })
  async list(@Query() query: TechnologyRoutesQuery): Promise<TechnologyRoutesAnswer> {
    const state = await this.projections.stateAtLeast(query.minPosition);
    await this.projections.routeIndexReady();
    return technologyRoutes(state, resolveQueryTime(query), { family: query.family });
  }

  @ReadEndpoint({
    path: ':routeId/timeline',
    summary: 'Everything dated about one route',
    description:
      'Capacity announcements, construction starts and commissionings of the route\'s plants, financing rounds naming it, stages of standards in whose scope it is, ' +
      'and milestones, ordered by date then log position; the summary fields reflect everything up to asOf whatever the entry filters. ' +
      'Entries come a page at a time (`limit`, default 100, at most 1000); `nextCursor` (null on the last page) is the `cursor` of the next one.',
    example: ROUTE_TIMELINE_EXAMPLE,
    pathParam: { name: 'routeId', description: 'A technology route id from the catalogue.', example: 'lithium-metal' },
  })
  // The answer's text, made here: its entries are the route index's shared ones, whose texts are kept.
  @Header('Content-Type', JSON_CONTENT_TYPE)
  async timeline(@Param('routeId', SlugParamPipe) routeId: string, @Query() query: RouteTimelineQuery): Promise<string> {
    const state = await this.projections.stateAtLeast(query.minPosition);
    await this.projections.routeIndexReady();
    const time = resolveQueryTime(query);
    const { from, to, kind, limit, cursor } = query;
    const answer: RouteTimelineAnswer = foundOr404(technologyRouteTimeline(state, routeId, time, { from, to, kind, limit, cursor }), 'technology route', routeId, time.knownAt);
    return jsonOfSharedElements(answer);
  }
}
