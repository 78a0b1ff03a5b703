import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { validationProblem } from '../http/problem';
import { AuditController, positionProblemResponse } from './audit-endpoint.decorator';
import { LiveFeedQuery } from './audit-requests.dto';
import { LiveFeedService } from './live-feed.service';

const SSE_EXAMPLE =
  ': events after position 41\n\n' +
  'id: 42\nevent: CapacityAnnounced\ndata: {"eventId":"6d1f3c5e-5b1a-4b7e-9a55-0d1f0c3a9e01","streamId":"plant-xinjie-2gwh","revision":0,"position":42,' +
  '"type":"CapacityAnnounced","data":{"plantId":"xinjie-2gwh"},"metadata":{"recordedAt":"2026-01-02T08:00:00.000Z","hash":"3b1f…"},"recordedAt":"2026-01-02T08:00:00.000Z"}\n\n' +
  ': heartbeat\n\n' +
  'event: disconnect\ndata: {"reason":"client too slow"}\n\n';

@AuditController()
@Controller('v1/audit/live')
export class LiveFeedController {
  constructor(private readonly feed: LiveFeedService) {}

  @Get()
  @ApiOperation({
    summary: 'Every event as it is stored (server-sent events)',
    description:
      'A `text/event-stream`: each event as `id: <position>`, `event: <type>`, `data: <the event as in /v1/audit/events>`. ' +
      'Reconnect with `Last-Event-ID` (or `?lastEventId=`) set to the last id received to resume without loss or duplicates; ' +
      'without it the feed starts at the head. `: heartbeat` comments keep idle connections open (every LIVE_HEARTBEAT_MS, default 15 s). ' +
      'A client that leaves more than 1 MiB unread and does not catch up within LIVE_DRAIN_TIMEOUT_MS receives ' +
      '`event: disconnect` with a reason and the stream ends; so does every client when the server shuts down.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this position: the last `id` received.', example: '41' })
  @positionProblemResponse('`Last-Event-ID` (or `lastEventId`)')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' }, example: SSE_EXAMPLE } } })
  async live(@Query() query: LiveFeedQuery, @Headers('last-event-id') lastEventId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    let after = query.lastEventId;
    if (lastEventId !== undefined && lastEventId !== '') {
      if (!/^\d+$/.test(lastEventId.trim()) || !Number.isSafeInteger(Number(lastEventId.trim()))) {
        throw validationProblem([{ field: 'Last-Event-ID', message: 'must be a non-negative integer: the id (position) of the last event received' }]);
      }
      after = Number(lastEventId.trim());
    }
    await this.feed.stream(reply, after);
  }
}
