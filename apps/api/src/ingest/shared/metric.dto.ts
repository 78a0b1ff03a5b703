import { ApiProperty } from '@nestjs/swagger';
import { MilestoneMetric } from '@bsc/domain';
import { IsNotEmpty, IsNumber, IsString, MaxLength } from 'class-validator';
import { MAX_NAME_LENGTH, MAX_UNIT_LENGTH } from './limits';

/** A figure reported with a milestone (energy density, cycle count, capacity). */
export class MetricDto implements MilestoneMetric {
  @ApiProperty({ description: 'What was measured.', maxLength: MAX_NAME_LENGTH, example: 'energy-density' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  name!: string;

  @ApiProperty({ description: 'The reported value (Zhaona New Energy: 348.5 Wh/kg, all-solid-state sodium-ion).', example: 348.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value!: number;

  @ApiProperty({ description: 'Unit of `value`.', maxLength: MAX_UNIT_LENGTH, example: 'Wh/kg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_UNIT_LENGTH)
  unit!: string;
}
