import { Body, Controller, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Written, WriteContext } from '../../http/write-context';
import { WriteResultResponse } from '../write-result.response.dto';
import { recordFact } from '../shared/record-fact';
import { WriteController, WriteEndpoint } from '../shared/write-endpoint.decorator';
import { CloseFinancingRoundRequest } from './close-financing-round.request.dto';

@WriteController()
@Controller('v1/financing-rounds')
export class FinancingRoundsController {
  constructor(private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    summary: 'Record a closed financing round',
    description: 'Records FinancingRoundClosed on the company\'s stream; the round id is unique within the company and the amount stays in its own currency.',
    body: CloseFinancingRoundRequest,
    // The round is written to the existing `company-<companyId>` stream, so If-Match applies there.
    ifMatch: true,
  })
  close(@Body() body: CloseFinancingRoundRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'financing-round', body }, context, reply);
  }
}
