import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AnchorPositionOutOfRange, computeAnchor, verifyAnchor, verifyIntegrity } from '@bsc/audit';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { validationProblem } from '../http/problem';
import { AuditController } from './audit-endpoint.decorator';
import { AnchorQuery, VerifyAnchorRequest } from './audit-requests.dto';
import { AnchorResponse, AnchorVerificationResponse, IntegrityReportResponse } from './audit-responses.dto';

@AuditController()
@Controller('v1/audit')
export class TamperEvidenceController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('integrity')
  @ApiOperation({
    summary: 'Verify every hash chain',
    description:
      'Recomputes every stream\'s hash chain from the stored events and reports each broken link: a changed event, a deleted one (a revision gap), ' +
      'events out of order. A chain rewritten consistently end to end passes: only an anchor kept outside the system shows that.',
  })
  @ApiOkResponse({ type: IntegrityReportResponse })
  integrity(): Promise<IntegrityReportResponse> {
    return verifyIntegrity(this.store);
  }

  @Get('anchors')
  @ApiOperation({
    summary: 'An anchor to keep outside the system',
    description: 'One SHA-256 digest over every stream\'s head (stream, revision, hash) at a log position. Keep it elsewhere; verify it later.',
  })
  @ApiOkResponse({ type: AnchorResponse })
  async anchor(@Query() query: AnchorQuery): Promise<AnchorResponse> {
    try {
      return await computeAnchor(this.store, query.position);
    } catch (error) {
      if (error instanceof AnchorPositionOutOfRange) throw validationProblem([{ field: 'position', message: `must not be after the head position ${error.headPosition}` }]);
      throw error;
    }
  }

  @Post('anchors/verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a saved anchor',
    description:
      'Whether the history up to the anchor\'s position still yields its digest. `ok: false` means something at or before that position was ' +
      'changed, removed or rewritten since the anchor was taken; `expectedDigest` is what the history yields now.',
  })
  @ApiOkResponse({ type: AnchorVerificationResponse })
  verify(@Body() body: VerifyAnchorRequest): Promise<AnchorVerificationResponse> {
    return verifyAnchor(this.store, { position: body.position, digest: body.digest });
  }
}
