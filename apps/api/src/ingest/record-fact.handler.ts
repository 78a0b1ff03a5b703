import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { ProjectionsService } from '../read-models/projections.service';
import { FactOutcome, FactRecorder } from './fact-recorder';
import { RecordFactCommand, RecordFactsCommand, RecordedFact } from './record-fact.command';

/** One recorder per process: its per-stream queue must see single writes and batches alike. */
export const factRecorderProvider = {
  provide: FactRecorder,
  inject: [EVENT_STORE, ProjectionsService],
  useFactory: (store: EventStore, projections: ProjectionsService) => new FactRecorder(store, projections),
};

@CommandHandler(RecordFactCommand)
export class RecordFactHandler implements ICommandHandler<RecordFactCommand, RecordedFact> {
  constructor(@Inject(FactRecorder) private readonly recorder: FactRecorder) {}

  execute({ command, source, context }: RecordFactCommand): Promise<RecordedFact> {
    return this.recorder.record(command, source, context);
  }
}

@CommandHandler(RecordFactsCommand)
export class RecordFactsHandler implements ICommandHandler<RecordFactsCommand, FactOutcome[]> {
  constructor(@Inject(FactRecorder) private readonly recorder: FactRecorder) {}

  execute({ facts }: RecordFactsCommand): Promise<FactOutcome[]> {
    return this.recorder.recordMany(facts);
  }
}
