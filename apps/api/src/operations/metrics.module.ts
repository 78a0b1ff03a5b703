import { DynamicModule, Module } from '@nestjs/common';
import { ApiMetrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** `/metrics` over the app's own registry, created before Nest so the store and the HTTP hooks share it. */
@Module({})
export class MetricsModule {
  static forRoot(metrics: ApiMetrics): DynamicModule {
    return { module: MetricsModule, controllers: [MetricsController], providers: [{ provide: ApiMetrics, useValue: metrics }] };
  }
}
