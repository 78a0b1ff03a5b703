import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { ProjectionsService } from '../read-models/projections.service';
import { FactRecorder } from './fact-recorder';
import { RecordFactCommand } from './record-fact.command';
import { RecordedFact } from './record-fact.command';

@CommandHandler(RecordFactCommand)
export class RecordFactHandler implements ICommandHandler<RecordFactCommand, RecordedFact> {
  private readonly recorder: FactRecorder;

  constructor(@Inject(EVENT_STORE) store: EventStore, projections: ProjectionsService) {
    this.recorder = new FactRecorder(store, projections);
  }

  execute({ command, source, context }: RecordFactCommand): Promise<RecordedFact> {
    return this.recorder.record(command, source, context);
  }
}
