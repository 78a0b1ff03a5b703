import { ApiProperty } from '@nestjs/swagger';
import { ROUTE_FAMILIES, RouteFamily } from '@bsc/domain';
import { IsIn } from 'class-validator';
import { MAX_NAME_LENGTH } from '../shared/limits';
import { SourceField, Text } from '../shared/field.decorators';
import { SMM_SOLID_STATE_WEEKLY } from '../shared/seed-sources';
import { SourceDto } from '../shared/source.dto';
import { IsKnownRouteId } from '../shared/validators';

/** The fields the fact is recorded with; its event data is these plus any path id. */
export class RegisterRouteFields {
  @ApiProperty({ description: 'The new route id (Zhaona New Energy\'s all-solid-state sodium-ion cell fits no built-in route).', example: 'solid-state-sodium-ion' })
  @IsKnownRouteId()
  routeId!: string;

  @ApiProperty({ description: 'Family the route is grouped under.', enum: ROUTE_FAMILIES, example: 'sodium' })
  @IsIn(ROUTE_FAMILIES)
  family!: RouteFamily;

  @ApiProperty({ description: 'Display name.', maxLength: MAX_NAME_LENGTH, example: 'All-solid-state sodium-ion' })
  @Text(MAX_NAME_LENGTH)
  name!: string;
}

/** POST /v1/technology-routes (admin) → TechnologyRouteRegistered: extends the built-in catalogue. */
export class RegisterRouteRequest extends RegisterRouteFields {
  static readonly example: RegisterRouteRequest = {
    routeId: 'solid-state-sodium-ion',
    family: 'sodium',
    name: 'All-solid-state sodium-ion',
    source: SMM_SOLID_STATE_WEEKLY,
  };

  @SourceField(SMM_SOLID_STATE_WEEKLY)
  source!: SourceDto;
}
