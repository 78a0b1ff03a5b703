import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Written, WriteContext } from '../../http/write-context';
import { WriteResultResponse } from '../write-result.response.dto';
import { recordFact } from '../shared/record-fact';
import { SlugParamPipe } from '../shared/slug-param.pipe';
import { WriteController, WriteEndpoint } from '../shared/write-endpoint.decorator';
import { ChangeTariffRateRequest } from './change-tariff-rate.request.dto';
import { ImposeTariffMeasureRequest } from './impose-tariff-measure.request.dto';
import { RevokeTariffMeasureRequest } from './revoke-tariff-measure.request.dto';

const MEASURE_ID = { name: 'measureId', description: 'The imposed tariff measure.', example: 'us-cn-ess-li-ion-2025' };

@WriteController()
@Controller('v1/tariff-measures')
export class TariffMeasuresController {
  constructor(private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    summary: 'Impose a tariff measure',
    description: 'Records TariffMeasureImposed on `tariff-<measureId>`: one legal component (an MFN duty, a countervailing duty …); effective rates are summed by the read model.',
    body: ImposeTariffMeasureRequest,
  })
  impose(@Body() body: ImposeTariffMeasureRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'tariff-measure', body }, context, reply);
  }

  @WriteEndpoint({ path: ':measureId/rate-changes', summary: 'Change a measure\'s rate from a date', description: 'Records TariffRateChanged, optionally for some of the measure\'s products only.', body: ChangeTariffRateRequest, pathParam: MEASURE_ID })
  changeRate(
    @Param('measureId', SlugParamPipe) measureId: string,
    @Body() body: ChangeTariffRateRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'tariff-rate-change', body, pathIds: { measureId } }, context, reply);
  }

  @WriteEndpoint({
    path: ':measureId/revocations',
    summary: 'Revoke a measure from a date',
    description: 'Records TariffMeasureRevoked.',
    body: RevokeTariffMeasureRequest,
    pathParam: Object.assign({}, MEASURE_ID, { example: 'eu-cn-bev-countervailing-2024' }),
  })
  revoke(
    @Param('measureId', SlugParamPipe) measureId: string,
    @Body() body: RevokeTariffMeasureRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'tariff-revocation', body, pathIds: { measureId } }, context, reply);
  }
}
