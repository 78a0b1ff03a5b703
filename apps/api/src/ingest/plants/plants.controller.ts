import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Written, WriteContext } from '../../http/write-context';
import { WriteResultResponse } from '../write-result.response.dto';
import { recordFact } from '../shared/record-fact';
import { SlugParamPipe } from '../shared/slug-param.pipe';
import { WriteController, WriteEndpoint } from '../shared/write-endpoint.decorator';
import { AnnounceCapacityRequest } from './announce-capacity.request.dto';
import { CommissionPlantRequest } from './commission-plant.request.dto';
import { PlantStatusChangeRequest } from './plant-status-change.request.dto';
import { ReviseCapacityRequest } from './revise-capacity.request.dto';
import { StartConstructionRequest } from './start-construction.request.dto';

const PLANT_ID = { name: 'plantId', description: 'The announced plant.', example: 'luochu-technology-semi-solid-line' };
const XINJIE_LINE = Object.assign({}, PLANT_ID, { example: 'xinjie-energy-solid-state-line' });

@WriteController()
@Controller('v1/plants')
export class PlantsController {
  constructor(private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    path: 'capacity-announcements',
    summary: 'Announce capacity: the first word on a plant',
    description: 'Records CapacityAnnounced on `plant-<plantId>`. The company must be registered; a plant is announced once.',
    body: AnnounceCapacityRequest,
  })
  announce(@Body() body: AnnounceCapacityRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'capacity-announcement', body }, context, reply);
  }

  @WriteEndpoint({ path: ':plantId/construction-starts', summary: 'Record a construction start', description: 'Records PlantConstructionStarted; not dated before the announcement.', body: StartConstructionRequest, pathParam: PLANT_ID })
  startConstruction(
    @Param('plantId', SlugParamPipe) plantId: string,
    @Body() body: StartConstructionRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'construction-start', body, pathIds: { plantId } }, context, reply);
  }

  @WriteEndpoint({ path: ':plantId/commissionings', summary: 'Record a commissioning', description: 'Records PlantCommissioned; commissionings add up, and a cancelled plant cannot be commissioned.', body: CommissionPlantRequest, pathParam: XINJIE_LINE })
  commission(
    @Param('plantId', SlugParamPipe) plantId: string,
    @Body() body: CommissionPlantRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'commissioning', body, pathIds: { plantId } }, context, reply);
  }

  @WriteEndpoint({ path: ':plantId/capacity-revisions', summary: 'Revise planned capacity', description: 'Records PlantCapacityRevised: the new planned total from revisedOn.', body: ReviseCapacityRequest, pathParam: XINJIE_LINE })
  reviseCapacity(
    @Param('plantId', SlugParamPipe) plantId: string,
    @Body() body: ReviseCapacityRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'capacity-revision', body, pathIds: { plantId } }, context, reply);
  }

  @WriteEndpoint({ path: ':plantId/suspensions', summary: 'Suspend a plant', description: 'Records PlantSuspended; its capacity moves to the suspended bucket.', body: PlantStatusChangeRequest, pathParam: PLANT_ID })
  suspend(
    @Param('plantId', SlugParamPipe) plantId: string,
    @Body() body: PlantStatusChangeRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'suspension', body, pathIds: { plantId } }, context, reply);
  }

  @WriteEndpoint({ path: ':plantId/resumptions', summary: 'Resume a suspended plant', description: 'Records PlantResumed.', body: PlantStatusChangeRequest, pathParam: PLANT_ID })
  resume(
    @Param('plantId', SlugParamPipe) plantId: string,
    @Body() body: PlantStatusChangeRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'resumption', body, pathIds: { plantId } }, context, reply);
  }

  @WriteEndpoint({ path: ':plantId/cancellations', summary: 'Cancel a plant', description: 'Records PlantCancelled; its capacity moves to the cancelled bucket.', body: PlantStatusChangeRequest, pathParam: PLANT_ID })
  cancel(
    @Param('plantId', SlugParamPipe) plantId: string,
    @Body() body: PlantStatusChangeRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'cancellation', body, pathIds: { plantId } }, context, reply);
  }
}
