import { Command } from '@nestjs/cqrs';
import { DomainCommand, Source } from '@bsc/domain';
import { WriteContext } from '../http/write-context';
import type { FactOutcome, FactToRecord } from './fact-recorder';

/** What every write answers (201), and what an idempotent retry answers again. */
export interface WriteResult {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
}

export interface RecordedFact extends WriteResult {
  /** True when an `Idempotency-Key` retry returned the first response instead of writing. */
  replayed: boolean;
}

/**
 * Record one fact: load the aggregate's stream, decide, append with the expected revision.
 * Every write endpoint and every batch item dispatches this on the CommandBus.
 */
export class RecordFactCommand extends Command<RecordedFact> {
  constructor(
    readonly command: DomainCommand,
    readonly source: Source,
    readonly context: WriteContext,
  ) {
    super();
  }
}

/**
 * Record many facts in order, each with the outcome it would have had alone (`FactRecorder.recordMany`):
 * what `/v1/batch` dispatches for its valid items.
 */
export class RecordFactsCommand extends Command<FactOutcome[]> {
  constructor(readonly facts: readonly FactToRecord[]) {
    super();
  }
}
