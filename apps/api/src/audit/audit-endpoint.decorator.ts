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

/** The 400 of a route that starts reading the log where the client says (`parameter`). */
export const positionProblemResponse = (parameter: string): MethodDecorator & ClassDecorator =>
  problemResponse(
    400,
    `A parameter is malformed (each failing field is named in \`errors\`), or ${parameter} is not where an event starts in the log ` +
      '(`position-not-in-log`: EventStoreDB positions are byte offsets; start at 0 or at a position the log gave).',
  );

/** The surface every audit controller shares: auditor/admin access, tag, bearer auth and the error statuses. */
export const AuditController = (): ClassDecorator =>
  applyDecorators(
    Access('audit'),
    ApiTags('audit'),
    ApiBearerAuth(),
    ApiExtraModels(ProblemResponse, FieldErrorResponse),
    ...AUDIT_ERRORS.map(([status, description]) => problemResponse(status, description)),
  );
