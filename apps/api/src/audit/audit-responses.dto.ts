import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const EXAMPLE_EVENT_ID = '6d1f3c5e-5b1a-4b7e-9a55-0d1f0c3a9e01';
const EXAMPLE_HASH = '3b1f0d6f5a3c9e7b2d4a6c8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a';
const EXAMPLE_PREV_HASH = '0'.repeat(64);

export class AuditEventResponse {
  @ApiProperty({ example: EXAMPLE_EVENT_ID })
  eventId!: string;

  @ApiProperty({ example: 'plant-xinjie-2gwh' })
  streamId!: string;

  @ApiProperty({ description: 'Revision within the stream, from 0.', example: 0 })
  revision!: number;

  @ApiProperty({ description: 'Global log position.', example: 42 })
  position!: number;

  @ApiProperty({ example: 'CapacityAnnounced' })
  type!: string;

  @ApiProperty({ description: 'The event\'s data as stored.', type: 'object', additionalProperties: true, example: { plantId: 'xinjie-2gwh', companyId: 'xinjie-energy', plannedCapacityGwh: 2 } })
  data!: unknown;

  @ApiProperty({
    description: 'All metadata as stored, including the hash chain (`prevHash`, `hash`).',
    type: 'object',
    additionalProperties: true,
    example: {
      schemaVersion: 1,
      recordedAt: '2026-01-02T08:00:00.000Z',
      recordedBy: 'integrator-1a2b3c4d',
      source: { publisher: 'SMM', title: 'Solid-state battery weekly review, December 26-31, 2025', publishedOn: '2026-01-02' },
      correlationId: 'c0ffee00-0000-4000-8000-000000000001',
      causationId: 'c0ffee00-0000-4000-8000-000000000001',
      prevHash: EXAMPLE_PREV_HASH,
      hash: EXAMPLE_HASH,
    },
  })
  metadata!: Record<string, unknown>;

  @ApiProperty({ description: 'When it was recorded (the transaction time read models use for knownAt).', format: 'date-time', example: '2026-01-02T08:00:00.000Z' })
  recordedAt!: string;
}

export class AuditEventsPage {
  @ApiProperty({ type: [AuditEventResponse] })
  events!: AuditEventResponse[];

  @ApiProperty({ description: 'Pass as `fromPosition` for the next page; null at the end of the log.', type: 'integer', nullable: true, example: 143 })
  nextPosition!: number | null;
}

export class StreamEventsPage {
  @ApiProperty({ example: 'plant-xinjie-2gwh' })
  streamId!: string;

  @ApiProperty({ type: [AuditEventResponse] })
  events!: AuditEventResponse[];

  @ApiProperty({ description: 'Pass as `fromRevision` for the next page; null at the end of the stream.', type: 'integer', nullable: true, example: null })
  nextRevision!: number | null;
}

export class AmendmentResponse {
  @ApiProperty({ example: '9a0c3f5e-1b2d-4e6f-8a9b-0c1d2e3f4a5b' })
  eventId!: string;

  @ApiProperty({ enum: ['correction', 'retraction'], example: 'correction' })
  kind!: 'correction' | 'retraction';

  @ApiProperty({ example: 57 })
  position!: number;

  @ApiProperty({ format: 'date-time', example: '2026-01-09T10:00:00.000Z' })
  recordedAt!: string;

  @ApiProperty({ example: 'The weekly misreported the planned capacity.' })
  reason!: string;

  @ApiPropertyOptional({ description: 'The corrected fields (corrections only).', type: 'object', additionalProperties: true, example: { plannedCapacityGwh: 3 } })
  changes?: Record<string, unknown>;

  @ApiProperty({ description: 'The amending event itself, as stored (null only if it has gone from the stream).', type: AuditEventResponse, nullable: true })
  event!: AuditEventResponse | null;
}

export class AuditEventWithAmendments extends AuditEventResponse {
  @ApiProperty({ description: 'Every correction and the retraction that amend this event, in the order they were recorded.', type: [AmendmentResponse] })
  amendments!: AmendmentResponse[];
}

export class IntegrityFailureResponse {
  @ApiProperty({ example: 'plant-xinjie-2gwh' })
  streamId!: string;

  @ApiProperty({ example: 2 })
  revision!: number;

  @ApiProperty({ example: EXAMPLE_EVENT_ID })
  eventId!: string;

  @ApiProperty({
    description: 'What is wrong: `hash mismatch: content changed`, `prevHash does not match the previous event`, `revision gap: 1 missing before revision 5`, …',
    example: 'hash mismatch: content changed',
  })
  reason!: string;
}

export class IntegrityReportResponse {
  @ApiProperty({ description: 'True when every chain holds.', example: false })
  ok!: boolean;

  @ApiProperty({ example: 118 })
  streamsChecked!: number;

  @ApiProperty({ example: 1402 })
  eventsChecked!: number;

  @ApiProperty({ type: [IntegrityFailureResponse] })
  failures!: IntegrityFailureResponse[];
}

export class AnchorResponse {
  @ApiProperty({ description: 'The global log position the digest covers.', example: 1402 })
  position!: number;

  @ApiProperty({ description: 'SHA-256 over every stream\'s head (stream, revision, hash) at that position.', example: EXAMPLE_HASH })
  digest!: string;
}

export class AnchorVerificationResponse extends AnchorResponse {
  @ApiProperty({ description: 'True when the history up to `position` still yields `digest`.', example: true })
  ok!: boolean;

  @ApiProperty({ description: 'The digest the history up to `position` yields now; null when the log no longer reaches that position.', nullable: true, example: EXAMPLE_HASH })
  expectedDigest!: string | null;
}

export class ReplayResponse {
  @ApiProperty({
    description: 'The read model\'s answer, rebuilt from the raw log alone, exactly as its read endpoint would give it; null where that endpoint would answer 404.',
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { asOf: '2025-12-31', knownAt: '2026-01-05T00:00:00Z', position: 42, companies: [], totals: {} },
  })
  result!: unknown;

  @ApiProperty({ description: 'Whether the live projection gives the same answer for the same query (key order aside).', example: true })
  matchesLive!: boolean;

  @ApiProperty({ description: 'The highest log position the replay read.', example: 1402 })
  position!: number;

  @ApiProperty({ description: 'Events recorded by knownAt, applied to the fresh state.', example: 1399 })
  eventsReplayed!: number;

  @ApiProperty({ description: 'Time the replay took.', example: 48.2 })
  tookMs!: number;
}
