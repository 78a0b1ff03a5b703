import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ReplayRequest, ReplayRequestError, canonicalJson, replayReadModel, runReadModelQuery } from '@bsc/audit';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { validationProblem } from '../http/problem';
import { ProjectionsService } from '../read-models/projections.service';
import { resolveQueryTime } from '../read-models/query-time';
import { AuditController, problemResponse } from './audit-endpoint.decorator';
import { ReplayRequestBody } from './audit-requests.dto';
import { ReplayResponse } from './audit-responses.dto';
import { replayParamErrors } from './replay-params';

@AuditController()
@Controller('v1/audit/replays')
export class ReplaysController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rebuild a read model from the raw log',
    description:
      'Reads the whole log, applies the events recorded by knownAt to a fresh state (nothing from the live projection or its checkpoint), ' +
      'answers the read model\'s query at asOf and compares with the live projection\'s answer to the same query. ' +
      'The replay yields to live traffic between chunks of events.',
  })
  @ApiOkResponse({ type: ReplayResponse })
  @problemResponse(504, 'The live projection did not reach the replayed position in time to compare; retry.')
  async replay(@Body() body: ReplayRequestBody): Promise<ReplayResponse> {
    const params = body.params ?? {};
    const errors = await replayParamErrors(body.readModel, params);
    if (errors.length > 0) throw validationProblem(errors);
    const { asOf, knownAt } = resolveQueryTime(body);
    const request: ReplayRequest = { readModel: body.readModel, params, asOf, knownAt };

    let replayed;
    try {
      replayed = await replayReadModel(this.store.readAll(), request);
    } catch (error) {
      if (error instanceof ReplayRequestError) throw validationProblem([{ field: error.field, message: error.message.slice(error.field.length + 2) }]);
      throw error;
    }
    const live = runReadModelQuery(await this.projections.stateAtLeast(replayed.position), request) ?? null;
    return { ...replayed, matchesLive: canonicalJson(live) === canonicalJson(replayed.result) };
  }
}
