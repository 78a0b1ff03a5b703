import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE } from '@bsc/event-store';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { AuditModule } from './audit/audit.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyRing } from './auth/api-keys';
import { DemoDataModule } from './demo/demo-data.module';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { HealthController } from './health/health.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { IngestModule } from './ingest/ingest.module';
import { ProjectionsService } from './read-models/projections.service';
import { ReadModelsModule } from './read-models/read-models.module';
import { EventStoreHolder, StoreLifecycle } from './store/event-store.holder';
import { nestLoggerParams } from './http/logger-options';
import { ApiMetrics } from './operations/metrics';
import { MetricsModule } from './operations/metrics.module';

export interface AppDependencies {
  config: AppConfig;
  /** The root logger Fastify was given; Nest logs through it (and through its request children). */
  logger: Logger;
  keyRing: ApiKeyRing;
  storeHolder: EventStoreHolder;
  metrics: ApiMetrics;
}

/** The HTTP application; everything it needs is opened before Nest starts, so failures stop the start. */
@Module({})
export class AppModule {
  static forRoot({ config, logger, keyRing, storeHolder, metrics }: AppDependencies): DynamicModule {
    const shared = [
      { provide: APP_CONFIG, useValue: config },
      { provide: ApiKeyRing, useValue: keyRing },
      { provide: EventStoreHolder, useValue: storeHolder },
      { provide: EVENT_STORE, useValue: storeHolder.store },
      { provide: ApiMetrics, useValue: metrics },
      ProjectionsService,
    ];
    return {
      module: AppModule,
      global: true,
      imports: [LoggerModule.forRoot(nestLoggerParams(logger)), CqrsModule.forRoot(), IngestModule, ReadModelsModule, AuditModule, DemoDataModule, MetricsModule],
      controllers: [HealthController],
      providers: [
        ...shared,
        StoreLifecycle,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: shared,
    };
  }
}
