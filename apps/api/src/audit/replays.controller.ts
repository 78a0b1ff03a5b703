import { Body, Controller, HttpCode, Inject, Post, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ReplayQueue, ReplayRequest, ReplayRequestError, readModelQuerySteps, sameCanonicalJson } from '@bsc/audit';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { finishInSlices } from '@bsc/projections';
import { JSON_CONTENT_TYPE, jsonStreamInSlices } from '../http/json-in-slices';
import { validationProblem } from '../http/problem';
import { LIST_SLICE_MS } from '../read-models/list-answer';
import { ProjectionsService } from '../read-models/projections.service';
import { resolveQueryTime } from '../read-models/query-time';
import { AuditController, problemResponse } from './audit-endpoint.decorator';
import { ReplayRequestBody } from './audit-requests.dto';
import { ReplayResponse } from './audit-responses.dto';
import { replayParamErrors } from './replay-params';

@AuditController()
@Controller('v1/audit/replays')
export class ReplaysController {
  private readonly replays = new ReplayQueue();

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
      'The replay yields to live traffic between chunks of events; a list read model is answered, compared and sent in slices, as its read endpoint does. ' +
      'Replays run one at a time, in the order asked (each holds a second copy of the read models while it runs); tookMs counts from its turn.',
  })
  @ApiOkResponse({ type: ReplayResponse })
  @problemResponse(504, 'The live projection did not reach the replayed position in time to compare; retry.')
  async replay(@Body() body: ReplayRequestBody): Promise<StreamableFile> {
    const params = body.params ?? {};
    const errors = await replayParamErrors(body.readModel, params);
    if (errors.length > 0) throw validationProblem(errors);
    const { asOf, knownAt } = resolveQueryTime(body);
    const request: ReplayRequest = { readModel: body.readModel, params, asOf, knownAt };

    let replayed;
    try {
      replayed = await this.replays.replay(() => this.store.readAll(), request, { sliceMs: LIST_SLICE_MS });
    } catch (error) {
      if (error instanceof ReplayRequestError) throw validationProblem([{ field: error.field, message: error.message.slice(error.field.length + 2) }]);
      throw error;
    }
    // A list over every company is most of a second at a million events, each way: computed, compared and
    // sent in slices, so the other requests are answered meanwhile (see listInSlices).
    const live = (await this.projections.answerInSlices(replayed.position, (state) => readModelQuerySteps(state, request), LIST_SLICE_MS)) ?? null;
    const matchesLive = await finishInSlices(sameCanonicalJson(live, replayed.result), LIST_SLICE_MS);
    const response: ReplayResponse = { ...replayed, matchesLive };
    return new StreamableFile(jsonStreamInSlices(response, LIST_SLICE_MS), { type: JSON_CONTENT_TYPE });
  }
}
