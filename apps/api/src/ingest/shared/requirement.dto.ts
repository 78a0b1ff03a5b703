import { ApiProperty } from '@nestjs/swagger';
import { StandardRequirement } from '@bsc/domain';
import { IsIn, IsNotEmpty, IsNumber, IsString, MaxLength } from 'class-validator';
import { MAX_NAME_LENGTH, MAX_UNIT_LENGTH } from './limits';

export const REQUIREMENT_OPERATORS = ['<', '<=', '=', '>=', '>'] as const;

/** One measurable requirement of a standard: `metric operator value unit`. */
export class RequirementDto implements StandardRequirement {
  @ApiProperty({ description: 'What is measured.', maxLength: MAX_NAME_LENGTH, example: 'specific-energy' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_NAME_LENGTH)
  metric!: string;

  @ApiProperty({ description: 'How the measured value compares with `value`.', enum: REQUIREMENT_OPERATORS, example: '>=' })
  @IsIn(REQUIREMENT_OPERATORS)
  operator!: StandardRequirement['operator'];

  @ApiProperty({ description: 'The threshold (the 2023 white paper targets over 350 Wh/kg for liquid cells).', example: 350 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value!: number;

  @ApiProperty({ description: 'Unit of `value`.', maxLength: MAX_UNIT_LENGTH, example: 'Wh/kg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_UNIT_LENGTH)
  unit!: string;
}
