import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { RateLimitExempt } from '../http/rate-limit-exempt.decorator';
import { ProjectionsService } from '../read-models/projections.service';

/** How far projections may trail the log before the instance stops calling itself ready. */
const MAX_READY_LAG = 1000;

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
  @ApiOperation({ summary: 'The store answers and projections are caught up within a bound' })
  @ApiOkResponse({ schema: { example: { status: 'ok', store: 'ok', projections: { position: 120, headPosition: 120, lag: 0 } } } })
  @ApiServiceUnavailableResponse({ description: 'Store unreachable, a projection failed, or projections lag too far behind' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Record<string, unknown>> {
    const projection = this.projections.status();
    let store = 'ok';
    let headPosition: number | undefined;
    try {
      await this.store.ping();
      headPosition = await this.store.headPosition();
    } catch {
      store = 'unavailable';
    }
    const lag = headPosition === undefined ? undefined : Math.max(0, headPosition - projection.position);
    const ok = store === 'ok' && !projection.failed && projection.running && lag !== undefined && lag <= MAX_READY_LAG;
    if (!ok) void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('Retry-After', '5');
    return {
      status: ok ? 'ok' : 'unavailable',
      store,
      projections: { running: projection.running, position: projection.position, headPosition, lag, ...(projection.failed ? { failed: projection.failed } : {}) },
    };
  }
}
