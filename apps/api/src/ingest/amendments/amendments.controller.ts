import { Body, Controller, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Written, WriteContext } from '../../http/write-context';
import { WriteResultResponse } from '../write-result.response.dto';
import { recordFact } from '../shared/record-fact';
import { WriteController, WriteEndpoint } from '../shared/write-endpoint.decorator';
import { CorrectFactRequest } from './correct-fact.request.dto';
import { RetractFactRequest } from './retract-fact.request.dto';

/** Corrections and retractions never rewrite history: each is a new event on the amended fact's stream. */
@WriteController()
@Controller('v1')
export class AmendmentsController {
  constructor(private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    path: 'corrections',
    summary: 'Correct a recorded fact',
    description: 'Records FactCorrected on the stream of the event named by eventId. The corrected data must pass that event\'s own validation; a retracted fact cannot be corrected. Reads with an earlier knownAt keep the old value.',
    body: CorrectFactRequest,
    ifMatch: true,
  })
  correct(@Body() body: CorrectFactRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'correction', body }, context, reply);
  }

  @WriteEndpoint({
    path: 'retractions',
    summary: 'Retract a recorded fact',
    description: 'Records FactRetracted on the stream of the event named by eventId; the fact drops out of every answer known after it.',
    body: RetractFactRequest,
    ifMatch: true,
  })
  retract(@Body() body: RetractFactRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'retraction', body }, context, reply);
  }
}
