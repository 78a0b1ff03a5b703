import { Body, Controller, HttpCode, Inject, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DEFAULT_MAX_WAITING_REPLAYS, ReplayCancelled, ReplayQueue, ReplayRequest, readModelQuerySteps, sameCanonicalJson } from '@bsc/audit';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { finishInSlices } from '@bsc/projections';
import type { FastifyReply } from 'fastify';
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
      'Replays run one at a time, in the order asked (each holds a second copy of the read models while it runs); tookMs counts from its turn. ' +
      `At most ${DEFAULT_MAX_WAITING_REPLAYS} wait behind the running one; beyond that a replay is refused at once with 503 and Retry-After. ` +
      'A client that disconnects gives up its replay: it leaves the line, or stops reading the log at its next chunk.',
  })
  @ApiOkResponse({ type: ReplayResponse })
  @problemResponse(503, `${DEFAULT_MAX_WAITING_REPLAYS} replays are already waiting their turn; retry after Retry-After seconds.`)
  @problemResponse(504, 'The live projection did not reach the replayed position in time to compare; retry.')
  async replay(@Body() body: ReplayRequestBody, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const params = body.params ?? {};
    const errors = await replayParamErrors(body.readModel, params);
    if (errors.length > 0) throw validationProblem(errors);
    const { asOf, knownAt } = resolveQueryTime(body);
    const request: ReplayRequest = { readModel: body.readModel, params, asOf, knownAt };

    // A replay at a million events takes ~25 s, and more waiting its turn: nobody is left to answer once the client is gone.
    const clientGone = new AbortController();
    const giveUpIfGone = (): void => {
      if (!reply.raw.writableEnded) clientGone.abort();
    };
    reply.raw.once('close', giveUpIfGone);
    let replayed;
    try {
      replayed = await this.replays.replay(() => this.store.readAll(), request, { sliceMs: LIST_SLICE_MS, signal: clientGone.signal });
    } catch (error) {
      // Fastify logs no completion for a request whose client left first: this line is its only trace.
      if (error instanceof ReplayCancelled) reply.log.info({ context: 'Replays', readModel: request.readModel }, 'replay given up: the client disconnected');
      throw error;
    } finally {
      reply.raw.off('close', giveUpIfGone);
    }
    // A list over every company is most of a second at a million events, each way: computed, compared and
    // sent in slices, so the other requests are answered meanwhile (see listInSlices).
    const live = (await this.projections.answerInSlices(replayed.position, (state) => readModelQuerySteps(state, request), LIST_SLICE_MS)) ?? null;
    const matchesLive = await finishInSlices(sameCanonicalJson(live, replayed.result), LIST_SLICE_MS);
    const response: ReplayResponse = Object.assign({}, replayed, { matchesLive });
    return new StreamableFile(jsonStreamInSlices(response, LIST_SLICE_MS), { type: JSON_CONTENT_TYPE });
  }
}
