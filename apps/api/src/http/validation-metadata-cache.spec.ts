// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; OpenAPI metadata plays no part in validation.
jest.mock('@nestjs/swagger', () => ({ ApiProperty: () => () => undefined, ApiPropertyOptional: () => () => undefined }));

import 'reflect-metadata';
import { getMetadataStorage, IsInt, IsString, MetadataStorage, validateSync } from 'class-validator';
import { REQUEST_KINDS } from '../ingest/request-kinds';
import { VALIDATION_OPTIONS, validateRequest } from './request-validation';
import { cacheValidationMetadata } from './validation-metadata-cache';

const uncached = MetadataStorage.prototype;

describe('cacheValidationMetadata', () => {
  beforeAll(() => cacheValidationMetadata());

  it('answers exactly what class-validator computes, for every request DTO', () => {
    const storage = getMetadataStorage();
    for (const { dto } of Object.values(REQUEST_KINDS)) {
      for (const groups of [undefined, ['x']]) {
        const cached = storage.getTargetValidationMetadatas(dto, '', false, false, groups);
        expect(storage.getTargetValidationMetadatas(dto, '', false, false, groups)).toBe(cached);
        expect(cached).toEqual(uncached.getTargetValidationMetadatas.call(storage, dto, '', false, false, groups));
        expect(storage.groupByPropertyName(cached)).toEqual(uncached.groupByPropertyName.call(storage, cached));
      }
    }
  });

  it('sees rules added after a class was first validated', () => {
    class Late {
      @IsString()
      name!: string;
    }
    const late = Object.assign(new Late(), { name: 'a', count: 'x' });
    expect(validateSync(late, VALIDATION_OPTIONS).map((error) => error.property)).toEqual(['count']);
    IsInt()(Late.prototype, 'count');
    expect(validateSync(late, VALIDATION_OPTIONS).map((error) => [error.property, Object.keys(error.constraints ?? {})])).toEqual([['count', ['isInt']]]);
  });

  it('leaves the answers of validateRequest as they were (nested fields, unknown fields)', async () => {
    const result = await validateRequest(REQUEST_KINDS.company.dto, { companyId: 'Bad Id', name: '', headquartersCountry: 'CN', source: { publisher: 'P', extra: 1 }, other: true });
    expect(result).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        { field: 'other', message: 'is not a known field' },
        { field: 'source.extra', message: 'is not a known field' },
      ]),
    });
  });
});
