import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Written, WriteContext } from '../../http/write-context';
import { WriteResultResponse } from '../write-result.response.dto';
import { recordFact } from '../shared/record-fact';
import { SlugParamPipe } from '../shared/slug-param.pipe';
import { WriteController, WriteEndpoint } from '../shared/write-endpoint.decorator';
import { ChangeStandardStageRequest } from './change-standard-stage.request.dto';
import { RegisterStandardRequest } from './register-standard.request.dto';

@WriteController()
@Controller('v1/standards')
export class StandardsController {
  constructor(private readonly commandBus: CommandBus) {}

  @WriteEndpoint({ summary: 'Register a standard with its first stage', description: 'Records StandardRegistered on `standard-<standardId>`.', body: RegisterStandardRequest })
  register(@Body() body: RegisterStandardRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'standard', body }, context, reply);
  }

  @WriteEndpoint({
    path: ':standardId/stages',
    summary: 'Record a stage a standard reached',
    description: 'Records StandardStageChanged: drafting → public-comment → approved → published → in-force, or withdrawn/superseded at any point; nothing after withdrawn.',
    body: ChangeStandardStageRequest,
    pathParam: { name: 'standardId', description: 'The registered standard.', example: 'cn-gb-ssb-ev' },
  })
  changeStage(
    @Param('standardId', SlugParamPipe) standardId: string,
    @Body() body: ChangeStandardStageRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'standard-stage', body, pathIds: { standardId } }, context, reply);
  }
}
