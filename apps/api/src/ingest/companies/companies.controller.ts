import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Written, WriteContext } from '../../http/write-context';
import { WriteResultResponse } from '../write-result.response.dto';
import { recordFact } from '../shared/record-fact';
import { SlugParamPipe } from '../shared/slug-param.pipe';
import { WriteController, WriteEndpoint } from '../shared/write-endpoint.decorator';
import { RegisterCompanyRequest } from './register-company.request.dto';
import { RenameCompanyRequest } from './rename-company.request.dto';

@WriteController()
@Controller('v1/companies')
export class CompaniesController {
  constructor(private readonly commandBus: CommandBus) {}

  @WriteEndpoint({ summary: 'Register a company', description: 'Records CompanyRegistered on `company-<companyId>`; a company is registered once.', body: RegisterCompanyRequest })
  register(
    @Body() body: RegisterCompanyRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'company', body }, context, reply);
  }

  @WriteEndpoint({
    path: ':companyId/renames',
    summary: 'Record a new name for a company',
    description: 'Records CompanyRenamed; earlier answers keep the old name for dates before renamedOn.',
    body: RenameCompanyRequest,
    pathParam: { name: 'companyId', description: 'The registered company.', example: 'calb' },
  })
  rename(
    @Param('companyId', SlugParamPipe) companyId: string,
    @Body() body: RenameCompanyRequest,
    @Written() context: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteResultResponse> {
    return recordFact(this.commandBus, { kind: 'company-rename', body, pathIds: { companyId } }, context, reply);
  }
}
