import { plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import { FieldError } from './problem';

type Class<T> = new () => T;

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const flatten = (errors: ValidationError[], prefix = ''): FieldError[] =>
  errors.flatMap((error) => {
    const field = prefix ? (/^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`) : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'is not a known field'),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });

/** Unknown fields are refused; every failing field is listed, nested ones with their path (`amount.value`). */
export const VALIDATION_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } } as const;

/**
 * The one validation path for a request body, shared by single endpoints, `/v1/batch` and the CLI import,
 * so an item is refused for the same reasons wherever it arrives.
 */
export const validateRequest = async <T extends object>(dto: Class<T>, body: unknown): Promise<Validated<T>> => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, errors: [{ field: '(body)', message: 'must be a JSON object' }] };
  }
  const instance = plainToInstance(dto, body, { enableImplicitConversion: false });
  const errors = await validate(instance, VALIDATION_OPTIONS);
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, errors: flatten(errors) };
};
