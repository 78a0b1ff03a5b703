import { applyDecorators, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Access } from '../../auth/access.decorator';
import { WriteResultResponse } from '../write-result.response.dto';
import { FieldErrorResponse, ProblemResponse } from './problem.response.dto';

/** The contract's write statuses, described once for every write endpoint. */
const WRITE_ERRORS: ReadonlyArray<[number, string]> = [
  [400, 'Malformed JSON or failed validation; every failing field is listed in `errors`.'],
  [401, 'No API key, or an unknown one.'],
  [403, 'The key\'s role may not record this fact.'],
  [404, 'The aggregate in the path (or the event to amend) does not exist.'],
  [409, 'A domain rule refuses the fact (already exists, invalid transition, retracted fact).'],
  [412, 'If-Match names a revision the stream has moved past.'],
  [413, 'The body is too large.'],
  [415, 'The body is not application/json.'],
  [422, 'A referenced entity does not exist (e.g. an unknown companyId or technology route), or the Idempotency-Key was used with another body.'],
  [503, 'The event store is unavailable (see Retry-After); nothing was written.'],
];

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } } });

export const ApiWriteErrors = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiExtraModels(ProblemResponse, FieldErrorResponse), ...WRITE_ERRORS.map(([status, description]) => problem(status, description)));

/** The surface every write controller shares: tag, bearer auth and the error statuses. */
export const WriteController = (): ClassDecorator => applyDecorators(ApiTags('write'), ApiBearerAuth(), ApiWriteErrors());

/** A request DTO class that carries its own complete seed-based example. */
export interface ExampleCarrying {
  new (): object;
  readonly example: object;
}

export interface WriteEndpointOptions {
  /** Route path below the controller's prefix ('' for the prefix itself). */
  path?: string;
  summary: string;
  description?: string;
  body: ExampleCarrying;
  /** The path id naming an existing aggregate, e.g. plantId. */
  pathParam?: { name: string; description: string; example: string };
  /** Whether the write goes to an existing stream, where `If-Match` applies; defaults to having a path id. */
  ifMatch?: boolean;
  access?: 'write' | 'admin';
}

/**
 * One single-fact write: POST, 201 with the write result, its capability, and an OpenAPI description with
 * the request example, headers and statuses of the contract.
 */
export const WriteEndpoint = ({ path = '', summary, description, body, pathParam, ifMatch = pathParam !== undefined, access = 'write' }: WriteEndpointOptions): MethodDecorator =>
  applyDecorators(
    Post(path),
    Access(access),
    HttpCode(HttpStatus.CREATED),
    ApiOperation({ summary, description }),
    ApiBody({ type: body, examples: { seed: { summary: 'From the seed articles', value: body.example } } }),
    ...(pathParam ? [ApiParam({ name: pathParam.name, description: pathParam.description, example: pathParam.example, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,79}$' } })] : []),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retrying with the same key and body returns the first response (header Idempotent-Replayed: true); another body is 422.' }),
    ...(ifMatch ? [ApiHeader({ name: 'If-Match', required: false, description: 'The stream revision you last saw, quoted ("3"); 412 when the stream has moved on.' })] : []),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Carried into the event metadata and echoed in the response; generated when absent.' }),
    ApiCreatedResponse({
      type: WriteResultResponse,
      description: 'Recorded (or replayed for a repeated Idempotency-Key).',
      headers: { 'Idempotent-Replayed': { description: '`true` when this is the stored response of an earlier request with the same Idempotency-Key.', schema: { type: 'string', enum: ['true'] } } },
    }),
  );
