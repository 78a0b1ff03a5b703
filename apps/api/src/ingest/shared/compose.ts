/**
 * Applies several property decorators as one. DTO files use this rather than Nest's `applyDecorators`
 * so they load without `@nestjs/common`, which unit tests under Jest on Node 20 cannot require (ESM only).
 */
export const composeProperty =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, property) => {
    for (const decorator of decorators) decorator(target, property);
  };
