import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FieldError, ProblemDetails } from '../../http/problem';

export class FieldErrorResponse implements FieldError {
  @ApiProperty({ description: 'Path of the failing field; nested fields as `amount.value`, list items as `metrics[0].unit`.', example: 'headquartersCountry' })
  field!: string;

  @ApiProperty({ example: 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. CN' })
  message!: string;
}

/** RFC 9457 problem details (`application/problem+json`), as every error leaves the API. */
export class ProblemResponse implements ProblemDetails {
  [extension: string]: unknown;

  @ApiProperty({ description: 'Relative URI naming the kind of problem.', example: '/problems/validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Validation failed' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiProperty({ example: 'The request is not valid; see errors.' })
  detail!: string;

  @ApiPropertyOptional({ example: '/v1/companies' })
  instance?: string;

  @ApiPropertyOptional({ type: [FieldErrorResponse], description: 'Every failing field (validation problems only).' })
  errors?: FieldErrorResponse[];
}
