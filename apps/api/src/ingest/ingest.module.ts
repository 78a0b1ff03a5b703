import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PinoLogger } from 'nestjs-pino';
import { AmendmentsController } from './amendments/amendments.controller';
import { CompaniesController } from './companies/companies.controller';
import { FinancingRoundsController } from './financing-rounds/financing-rounds.controller';
import { PlantsController } from './plants/plants.controller';
import { StandardsController } from './standards/standards.controller';
import { TariffMeasuresController } from './tariffs/tariff-measures.controller';
import { TechnologyRoutesController } from './technology-routes/technology-routes.controller';
import { BatchController } from './batch.controller';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BatchItemValidator } from './batch-item-validator';
import { RecordFactHandler, RecordFactsHandler, factRecorderProvider } from './record-fact.handler';

/** Every write surface: one controller per aggregate, each dispatching RecordFactCommand (the batch: RecordFactsCommand) on the CommandBus. */
@Module({
  imports: [CqrsModule],
  controllers: [
    CompaniesController,
    PlantsController,
    FinancingRoundsController,
    StandardsController,
    TariffMeasuresController,
    TechnologyRoutesController,
    AmendmentsController,
    BatchController,
  ],
  providers: [
    factRecorderProvider,
    RecordFactHandler,
    RecordFactsHandler,
    {
      provide: BatchItemValidator,
      inject: [APP_CONFIG, PinoLogger],
      useFactory: (config: AppConfig, logger: PinoLogger) => {
        logger.setContext('BatchValidation');
        return new BatchItemValidator({
          threads: config.batchValidationThreads,
          onWorkerFailure: (error) => logger.warn({ err: error }, 'batch validation worker failed: its chunks are validated on the event loop, and the next large batch starts another'),
        });
      },
    },
  ],
})
export class IngestModule {}
