import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { isSlug } from '@bsc/domain';
import { validationProblem } from '../../http/problem';
import { SLUG_RULE } from './validators';

/** `@Param('plantId', SlugParamPipe)`: a malformed path id is a 400 naming the parameter, not a 404. */
@Injectable()
export class SlugParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (isSlug(value)) return value;
    throw validationProblem([{ field: metadata.data ?? '(path)', message: SLUG_RULE }]);
  }
}
