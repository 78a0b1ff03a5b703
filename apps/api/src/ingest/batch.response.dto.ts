import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemDetails } from '../http/problem';

export class BatchItemResult {
  @ApiProperty({ description: 'Index of the item in the request (0-based).', example: 0 })
  index!: number;

  @ApiProperty({ description: 'The status the item would get alone: 201 when recorded.', example: 201 })
  status!: number;

  @ApiPropertyOptional({ format: 'uuid' })
  eventId?: string;

  @ApiPropertyOptional({ example: 'company-luochu-technology' })
  streamId?: string;

  @ApiPropertyOptional({ example: 0 })
  revision?: number;

  @ApiPropertyOptional({ example: 17 })
  position?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  recordedAt?: string;

  @ApiPropertyOptional({ description: 'RFC 9457 problem details of a refused item.', type: 'object', additionalProperties: true })
  error?: ProblemDetails;
}

export class BatchResponse {
  @ApiProperty({ example: 2 })
  succeeded!: number;

  @ApiProperty({ example: 0 })
  failed!: number;

  @ApiProperty({ type: [BatchItemResult] })
  results!: BatchItemResult[];
}
