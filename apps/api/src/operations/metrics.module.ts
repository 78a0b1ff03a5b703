import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** `/metrics` over the app's own registry (ApiMetrics, created before Nest so the store and the HTTP hooks share it). */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
