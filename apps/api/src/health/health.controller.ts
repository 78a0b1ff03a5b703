import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { CAUGHT_UP_EVENTS, CAUGHT_UP_MS, ProjectionLag, isCaughtUp, projectionLag, unappliedAfter } from '@bsc/projections';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { RateLimitExempt } from '../http/rate-limit-exempt.decorator';
import { ProjectionsService } from '../read-models/projections.service';

@ApiTags('operations')
@Access('public')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('live')
  @RateLimitExempt()
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @RateLimitExempt()
  @ApiOperation({
    summary: 'The store answers and projections are caught up within a bound',
    description:
      `Caught up: at most ${CAUGHT_UP_EVENTS} events behind the head (\`lag\`, counted up to ${CAUGHT_UP_EVENTS + 1}; not a difference of positions, ` +
      `which are byte offsets on EventStoreDB), or with nothing left to apply recorded more than ${CAUGHT_UP_MS / 1000} s ago ` +
      `(\`lagMs\`: how long ago the oldest event not yet applied was recorded, 0 when there is none), so a list holding the projection still for a moment, or a bulk import running ahead of it, does not make the instance unready.`,
  })
  @ApiOkResponse({ schema: { example: { status: 'ok', store: 'ok', projections: { running: true, position: 120, headPosition: 120, lag: 0, lagMs: 0 } } } })
  @ApiServiceUnavailableResponse({ description: 'Store unreachable, a projection failed, or projections lag too far behind' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const projection = this.projections.status();
    let store = 'ok';
    let lag: ProjectionLag | undefined;
    try {
      // Reading the head reaches the store as a ping would: one round trip less per probe.
      const headPosition = await this.store.headPosition();
      lag = projectionLag(headPosition, await unappliedAfter(this.store, projection.position, headPosition));
    } catch {
      store = 'unavailable';
    }
    const ok = store === 'ok' && !projection.failed && projection.running && lag !== undefined && isCaughtUp(lag);
    if (!ok) void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('Retry-After', '5');
    return {
      status: ok ? 'ok' : 'unavailable',
      store,
      projections: {
        running: projection.running,
        position: projection.position,
        headPosition: lag?.headPosition,
        lag: lag?.events,
        lagMs: lag?.ms,
        ...(projection.failed ? { failed: projection.failed } : {}),
      },
    };
  }
}
