import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '@bsc/event-store';
import { PinoLogger } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { toProblem } from '../http/problem-details.filter';
import { WriteContext } from '../http/write-context';
import { RecordFactCommand } from '../ingest/record-fact.command';
import { validateBatchItem } from '../ingest/request-kinds';
import { ProjectionsService } from '../read-models/projections.service';
import { demoEventsFile, readDemoEvents } from './demo-events';

export const DEMO_LOADER_PRINCIPAL = { name: 'demo-loader', role: 'admin' } as const;

/** A line the store did not take: a bug in the data file, never an expected outcome. */
export interface RefusedLine {
  line: number;
  kind?: string;
  status: number;
  reason: string;
}

export interface DemoLoadSummary {
  file: string;
  lines: number;
  loaded: number;
  refused: RefusedLine[];
  position: number;
  tookMs: number;
}

const kindOf = (item: unknown): string | undefined =>
  item !== null && typeof item === 'object' && typeof (item as { kind?: unknown }).kind === 'string' ? (item as { kind: string }).kind : undefined;

/**
 * Loads the demo data set into an empty store when the application starts (`SEED_DEMO`, default true):
 * each line is validated like a `/v1/batch` item and recorded through `RecordFactCommand`, in file order,
 * so the data meets every rule an integrator's write meets. A store that holds anything is left alone,
 * so a restart never loads it twice.
 */
@Injectable()
export class DemoDataLoader implements OnApplicationBootstrap {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projections: ProjectionsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('DemoData');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.seedDemo) return;
    const head = await this.store.headPosition();
    if (head !== 0) {
      this.logger.info({ headPosition: head }, 'demo data set not loaded: the event store is not empty');
      return;
    }
    const summary = await this.load();
    if (summary.refused.length > 0) {
      this.logger.error({ demoData: summary }, `demo data set loaded with ${summary.refused.length} refused line(s): fix ${summary.file}`);
    } else {
      this.logger.info({ demoData: summary }, `demo data set loaded: ${summary.loaded} facts`);
    }
    await this.awaitProjections(summary.position);
  }

  async load(): Promise<DemoLoadSummary> {
    const started = Date.now();
    const file = demoEventsFile();
    const lines = readDemoEvents(file);
    const refused: RefusedLine[] = [];
    let loaded = 0;
    let position = 0;
    const correlationId = `demo-data-${started}`;
    for (const entry of lines) {
      if ('error' in entry) {
        refused.push({ line: entry.line, status: 400, reason: `not JSON: ${entry.error}` });
        continue;
      }
      const kind = kindOf(entry.item);
      try {
        const validated = await validateBatchItem(entry.item);
        if (!validated.ok) {
          refused.push({ line: entry.line, kind, status: 400, reason: validated.errors.map((error) => `${error.field} ${error.message}`).join('; ') });
          continue;
        }
        const context: WriteContext = { principal: { ...DEMO_LOADER_PRINCIPAL }, correlationId, causationId: `${correlationId}#line-${entry.line}` };
        const result = await this.commandBus.execute(new RecordFactCommand(validated.command, validated.source, context));
        loaded += 1;
        position = Math.max(position, result.position);
      } catch (error) {
        const problem = toProblem(error);
        refused.push({ line: entry.line, kind, status: problem.status, reason: problem.detail });
      }
    }
    return { file, lines: lines.length, loaded, refused, position, tookMs: Date.now() - started };
  }

  /**
   * So that the first read after the server listens already sees the data. Projections start in the root
   * module's bootstrap hook, which Nest runs after this imported module's; `ensureStarted` starts them
   * once, so asking here only moves that moment earlier.
   */
  private async awaitProjections(position: number): Promise<void> {
    if (position === 0) return;
    await this.projections.ensureStarted();
    try {
      await this.projections.stateAtLeast(position);
    } catch {
      this.logger.warn({ position }, 'read models had not reached the demo data when the server started; they catch up on their own');
    }
  }
}
