import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { AuditController, positionProblemResponse, problemResponse } from './audit-endpoint.decorator';
import { AuditHistoryService } from './audit-history.service';
import { AuditEventsQuery, StreamEventsQuery } from './audit-requests.dto';
import { AuditEventWithAmendments, AuditEventsPage, StreamEventsPage } from './audit-responses.dto';

@AuditController()
@Controller('v1/audit')
export class AuditHistoryController {
  constructor(private readonly history: AuditHistoryService) {}

  @Get('events')
  @ApiOperation({
    summary: 'The global log, paged',
    description:
      'Every stored event in log order with its data and all metadata (who recorded it, when, from which source, and its hash-chain links), ' +
      'filtered by type, stream and record time. Page on with `fromPosition=nextPosition` until `nextPosition` is null. ' +
      'A page with few matches may end early with a `nextPosition` so that no request scans without bound.',
  })
  @ApiOkResponse({ type: AuditEventsPage })
  @positionProblemResponse('`fromPosition`')
  events(@Query() query: AuditEventsQuery): Promise<AuditEventsPage> {
    return this.history.page(query);
  }

  @Get('events/:eventId')
  @ApiOperation({
    summary: 'One event, with what amends it',
    description: 'A fact or amendment as stored, plus every correction and the retraction that amend it, each with its own stored event.',
  })
  @ApiParam({ name: 'eventId', description: 'The event id a write answered with.', example: '6d1f3c5e-5b1a-4b7e-9a55-0d1f0c3a9e01' })
  @ApiOkResponse({ type: AuditEventWithAmendments })
  @problemResponse(404, 'No fact or amendment with this id is stored.')
  event(@Param('eventId') eventId: string): Promise<AuditEventWithAmendments> {
    return this.history.event(eventId);
  }

  @Get('streams/:streamId/events')
  @ApiOperation({ summary: 'One stream, in revision order, paged', description: 'Page on with `fromRevision=nextRevision` until `nextRevision` is null.' })
  @ApiParam({ name: 'streamId', description: 'A stream: `<kind>-<id>`.', example: 'plant-xinjie-2gwh' })
  @ApiOkResponse({ type: StreamEventsPage })
  @problemResponse(404, 'No stream with this id exists.')
  stream(@Param('streamId') streamId: string, @Query() query: StreamEventsQuery): Promise<StreamEventsPage> {
    return this.history.stream(streamId, query);
  }
}
