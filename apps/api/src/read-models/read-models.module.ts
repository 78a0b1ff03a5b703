import { Module } from '@nestjs/common';
import { CompanyCapacityController } from './company-capacity.controller';
import { EffectiveTariffController } from './effective-tariff.controller';
import { FinancingRoundsReadController } from './financing-rounds.controller';
import { OverseasExpansionController } from './overseas-expansion.controller';
import { StandardsReadController } from './standards.controller';
import { TechnologyRoutesReadController } from './technology-routes.controller';

/** Every analyst read: thin controllers over the pure queries of @bsc/projections (ProjectionsService is global). */
@Module({
  controllers: [
    CompanyCapacityController,
    OverseasExpansionController,
    TechnologyRoutesReadController,
    EffectiveTariffController,
    StandardsReadController,
    FinancingRoundsReadController,
  ],
})
export class ReadModelsModule {}
