import { applyDecorators, Get } from '@nestjs/common';
import { SLUG_PATTERN } from '@bsc/domain';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags, SchemaObject, getSchemaPath } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { FieldErrorResponse, ProblemResponse } from '../ingest/shared/problem.response.dto';

const READ_ERRORS: ReadonlyArray<[number, string]> = [
  [400, 'A query parameter is malformed or unknown; each one is named in `errors`.'],
  [401, 'No API key, or an unknown one.'],
  [403, 'The key\'s role may not read the read models.'],
  [504, 'minPosition was not reached by the read models in time; retry.'],
];

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } } });

/** The surface every read controller shares: tag, bearer auth and the error statuses. */
export const ReadController = (): ClassDecorator =>
  applyDecorators(ApiTags('read'), ApiBearerAuth(), ApiExtraModels(ProblemResponse, FieldErrorResponse), ...READ_ERRORS.map(([status, description]) => problem(status, description)));

/**
 * A schema inferred from the example answer: the answers are plain projections of the read-model types, and
 * one example kept next to the endpoint cannot drift from a hand-written schema beside it.
 * Objects keyed by data (route ids, country codes) are declared as maps.
 */
export const schemaOf = (example: unknown, mapKeys: readonly string[] = [], key = ''): SchemaObject => {
  if (example === null) return { nullable: true };
  if (Array.isArray(example)) return { type: 'array', items: example.length > 0 ? schemaOf(example[0], mapKeys) : {} };
  if (typeof example === 'object') {
    const entries = Object.entries(example as Record<string, unknown>);
    if (mapKeys.includes(key)) return { type: 'object', additionalProperties: entries.length > 0 ? schemaOf(entries[0][1], mapKeys) : {} };
    return { type: 'object', properties: Object.fromEntries(entries.map(([name, value]) => [name, schemaOf(value, mapKeys, name)])) };
  }
  if (typeof example === 'number') return { type: 'number' };
  if (typeof example === 'boolean') return { type: 'boolean' };
  return { type: 'string' };
};

export interface ReadEndpointOptions {
  path?: string;
  summary: string;
  description: string;
  /** A complete answer, from the seed articles. */
  example: object;
  /** Properties whose keys are data, not field names. */
  mapKeys?: readonly string[];
  /** The path id naming an aggregate; unknown ones are 404. */
  pathParam?: { name: string; description: string; example: string };
}

/** One read: GET, its capability, and an OpenAPI description with an example answer and the read statuses. */
export const ReadEndpoint = ({ path = '', summary, description, example, mapKeys = [], pathParam }: ReadEndpointOptions): MethodDecorator =>
  applyDecorators(
    Get(path),
    Access('read'),
    ApiOperation({ summary, description }),
    ApiOkResponse({ description: 'The answer, echoing asOf, knownAt and the log position it reflects.', schema: Object.assign(schemaOf(example, mapKeys), { example }) }),
    ...(pathParam
      ? [
          ApiParam({ name: pathParam.name, description: pathParam.description, example: pathParam.example, schema: { type: 'string', pattern: SLUG_PATTERN.source } }),
          problem(404, `No ${pathParam.name.replace(/Id$/, '')} with this id is known at knownAt.`),
        ]
      : []),
  );
