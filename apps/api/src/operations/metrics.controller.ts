import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { Access } from '../auth/access.decorator';
import { RateLimitExempt } from '../http/rate-limit-exempt.decorator';
import { ProjectionsService } from '../read-models/projections.service';
import { ApiMetrics } from './metrics';

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

@ApiTags('operations')
@Access('public')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ApiMetrics,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @RateLimitExempt()
  @Header('Content-Type', PROMETHEUS_TEXT)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Prometheus text format: http_requests_total and http_request_duration_seconds by method, route template and status; ' +
      'events_appended_total by type; event_store_errors_total by operation and error; projection_position, store_head_position, ' +
      'projection_lag; projection_apply_lag_seconds (record time → applied, for events appended since start); the process defaults (CPU, memory, event loop, handles).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The metrics, as Prometheus scrapes them.', content: { 'text/plain': { schema: { type: 'string' } } } })
  async scrape(): Promise<string> {
    const { position } = this.projections.status();
    let headPosition: number | undefined;
    try {
      headPosition = await this.store.headPosition();
    } catch {
      // The failure is already counted in event_store_errors_total; a scrape must still answer.
      headPosition = undefined;
    }
    this.metrics.observeProjections({ position, headPosition });
    return this.metrics.render();
  }
}
