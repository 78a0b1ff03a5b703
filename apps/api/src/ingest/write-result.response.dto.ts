import { ApiProperty } from '@nestjs/swagger';
import { WriteResult } from './record-fact.command';

export class WriteResultResponse implements WriteResult {
  @ApiProperty({ format: 'uuid', example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  eventId!: string;

  @ApiProperty({ example: 'plant-xinjie-energy-solid-state-line' })
  streamId!: string;

  @ApiProperty({ description: 'Revision of the stream after this event (0 = first event).', example: 0 })
  revision!: number;

  @ApiProperty({ description: 'Global log position; pass as minPosition to read your own write.', example: 42 })
  position!: number;

  @ApiProperty({ format: 'date-time', description: 'Transaction time (knownAt compares with it).', example: '2026-01-02T08:00:00.000Z' })
  recordedAt!: string;
}
