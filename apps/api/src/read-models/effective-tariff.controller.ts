import { Controller, Query } from '@nestjs/common';
import { EffectiveTariffAnswer, effectiveTariff } from '@bsc/projections';
import { ProjectionsService } from './projections.service';
import { resolveQueryTime } from './query-time';
import { ReadController, ReadEndpoint } from './read-endpoint.decorator';
import { EFFECTIVE_TARIFF_EXAMPLE } from './read-examples';
import { EffectiveTariffQuery } from './read-queries.dto';

@ReadController()
@Controller('v1/tariffs/effective')
export class EffectiveTariffController {
  constructor(private readonly projections: ProjectionsService) {}

  @ReadEndpoint({
    summary: 'The tariff in force for an importer, origin and product',
    description:
      'The sum of the rates of every measure in force at asOf that covers the product (ad valorem duties stack), each listed as a component with the rate ' +
      'of its latest change effective by asOf. A measure stops at its effectiveUntil (exclusive) or a revocation.',
    example: EFFECTIVE_TARIFF_EXAMPLE,
  })
  async get(@Query() query: EffectiveTariffQuery): Promise<EffectiveTariffAnswer> {
    const state = await this.projections.stateAtLeast(query.minPosition);
    const { importer, origin, product } = query;
    return effectiveTariff(state, resolveQueryTime(query), { importer, origin, product });
  }
}
