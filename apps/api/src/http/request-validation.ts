import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { FieldError } from './problem';
import { cacheValidationMetadata } from './validation-metadata-cache';

cacheValidationMetadata();

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

/** No request of ours nests beyond a few levels; far deeper input would exhaust the validators' recursion. */
export const MAX_NESTING = 32;

/** Names the path of every value it passes: only asked once a body is known to nest too deep. */
const firstPathDeeperThan = (root: object, limit: number): string | undefined => {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return path || '(body)';
    for (const [key, child] of Object.entries(value)) {
      pending.push({ value: child, path: Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return undefined;
};

/**
 * Whether any object or array is nested deeper than `limit`, without recursion and without building a path
 * for every value on the way: every request body and batch item is checked, and nearly all pass.
 */
export const nestsDeeperThan = (root: object, limit: number): boolean => {
  const values: object[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child === null || typeof child !== 'object') continue;
      values.push(child as object);
      depths.push(depth + 1);
    }
  }
  return false;
};

/** The path of the first value nested deeper than `limit`, found without recursion (the input may be hostile). */
export const pathDeeperThan = (root: object, limit: number): string | undefined => (nestsDeeperThan(root, limit) ? firstPathDeeperThan(root, limit) : undefined);

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
  const deepest = pathDeeperThan(body, MAX_NESTING);
  if (deepest !== undefined) return { ok: false, errors: [{ field: deepest, message: `nests deeper than ${MAX_NESTING} levels` }] };
  const instance = plainToInstance(dto, body, { enableImplicitConversion: false });
  // Every rule of ours is synchronous: the async variant only adds a promise per object validated.
  const errors = validateSync(instance, VALIDATION_OPTIONS);
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, errors: flatten(errors) };
};
