import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AmendmentsController } from './amendments/amendments.controller';
import { CompaniesController } from './companies/companies.controller';
import { FinancingRoundsController } from './financing-rounds/financing-rounds.controller';
import { PlantsController } from './plants/plants.controller';
import { StandardsController } from './standards/standards.controller';
import { TariffMeasuresController } from './tariffs/tariff-measures.controller';
import { TechnologyRoutesController } from './technology-routes/technology-routes.controller';

/** Every write surface: one controller per aggregate, each dispatching RecordFactCommand on the CommandBus. */
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
  ],
  providers: [],
})
export class IngestModule {}
