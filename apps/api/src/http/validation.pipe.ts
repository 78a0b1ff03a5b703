import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validationProblem } from './problem';
import { validateRequest } from './request-validation';

/** Validates `@Body()` and `@Query()` DTOs through the shared path, answering 400 with every failing field. */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype;
    if ((metadata.type !== 'body' && metadata.type !== 'query') || !dto || [Object, String, Number, Boolean, Array].includes(dto as never)) return value;
    const result = await validateRequest(dto as new () => object, value);
    if (!result.ok) throw validationProblem(result.errors);
    return result.value;
  }
}
