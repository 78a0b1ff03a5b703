import { Body, Controller, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Written, WriteContext } from '../../http/write-context';
import { WriteResultResponse } from '../write-result.response.dto';
import { recordFact } from '../shared/record-fact';
import { WriteController, WriteEndpoint } from '../shared/write-endpoint.decorator';
import { RecordMilestoneRequest } from './record-milestone.request.dto';
import { RegisterRouteRequest } from './register-route.request.dto';

/** Milestones and the route catalogue; the paths differ, so the controller has no prefix. */
@WriteController()
@Controller('v1')
export class TechnologyRoutesController {
  constructor(private readonly commandBus: CommandBus) {}

  @WriteEndpoint({
    path: 'technology-milestones',
    summary: 'Record a technology milestone',
    description: 'Records TechnologyMilestoneReached on `route-<technologyRoute>`: lab, pilot, engineering samples, mass production, vehicle delivery or grid connection.',
    body: RecordMilestoneRequest,
  })
  recordMilestone(@Body() body: RecordMilestoneRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'technology-milestone', body }, context, reply);
  }

  @WriteEndpoint({
    path: 'technology-routes',
    summary: 'Register a technology route (admin)',
    description: 'Records TechnologyRouteRegistered: extends the built-in route catalogue. Admin keys only.',
    body: RegisterRouteRequest,
    access: 'admin',
  })
  registerRoute(@Body() body: RegisterRouteRequest, @Written() context: WriteContext, @Res({ passthrough: true }) reply: FastifyReply): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'technology-route', body }, context, reply);
  }
}
