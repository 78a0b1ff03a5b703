import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { FieldErrorResponse, ProblemResponse } from '../ingest/shared/problem.response.dto';

const AUDIT_ERRORS: ReadonlyArray<[number, string]> = [
  [400, 'A parameter or the body is malformed; each failing field is named in `errors`.'],
  [401, 'No API key, or an unknown one.'],
  [403, 'Only auditor and admin keys may use the audit routes.'],
];

/** An error answer as problem details, documented once for every audit route. */
export const problemResponse = (status: number, description: string): MethodDecorator & ClassDecorator =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } } });

/** The surface every audit controller shares: auditor/admin access, tag, bearer auth and the error statuses. */
export const AuditController = (): ClassDecorator =>
  applyDecorators(
    Access('audit'),
    ApiTags('audit'),
    ApiBearerAuth(),
    ApiExtraModels(ProblemResponse, FieldErrorResponse),
    ...AUDIT_ERRORS.map(([status, description]) => problemResponse(status, description)),
  );
