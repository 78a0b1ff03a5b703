import { ApiProperty } from '@nestjs/swagger';
import { ReadModelName } from '@bsc/audit';
import { FieldError } from '../http/problem';
import { validateRequest } from '../http/request-validation';
import { IsSlug } from '../ingest/shared/validators';
import {
  CapacityTimelineQuery,
  CompanyCapacityQuery,
  EffectiveTariffQuery,
  FinancingRoundsQuery,
  OverseasExpansionQuery,
  RouteTimelineQuery,
  StandardsQuery,
  TechnologyRoutesQuery,
} from '../read-models/read-queries.dto';

class CompanyParams {
  @ApiProperty({ example: 'xinjie-energy' })
  @IsSlug()
  companyId!: string;
}

class CompanyTimelineParams extends CapacityTimelineQuery {
  @IsSlug()
  companyId!: string;
}

class RouteTimelineParams extends RouteTimelineQuery {
  @IsSlug()
  routeId!: string;
}

class StandardParams {
  @IsSlug()
  standardId!: string;
}

/** Each read model's parameters are its read endpoint's, with the path id as one more field. */
const PARAMS_OF: Record<ReadModelName, new () => object> = {
  'company-capacity': CompanyCapacityQuery,
  company: CompanyParams,
  'company-capacity-timeline': CompanyTimelineParams,
  'overseas-expansion': OverseasExpansionQuery,
  'technology-routes': TechnologyRoutesQuery,
  'technology-route-timeline': RouteTimelineParams,
  'effective-tariff': EffectiveTariffQuery,
  standards: StandardsQuery,
  standard: StandardParams,
  'financing-rounds': FinancingRoundsQuery,
};

/** The read queries take the clocks too; in a replay they are top-level, so one place decides them. */
const CLOCK_FIELDS = ['asOf', 'knownAt', 'minPosition'];

/** Field errors of a replay's `params`, named `params.<field>` (empty when valid). */
export const replayParamErrors = async (readModel: ReadModelName, params: Record<string, unknown>): Promise<FieldError[]> => {
  const misplaced = Object.keys(params)
    .filter((key) => CLOCK_FIELDS.includes(key))
    .map((key) => ({ field: `params.${key}`, message: 'is not a read-model parameter: give asOf and knownAt at the top level of the body' }));
  const withoutClocks = Object.fromEntries(Object.entries(params).filter(([key]) => !CLOCK_FIELDS.includes(key)));
  const result = await validateRequest(PARAMS_OF[readModel], withoutClocks);
  return [...misplaced, ...(result.ok ? [] : result.errors.map((error) => Object.assign({}, error, { field: `params.${error.field}` })))];
};
