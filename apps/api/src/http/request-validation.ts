import { plainToInstance } from 'class-transformer';
import { ValidationError, getMetadataStorage, validate } from 'class-validator';
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

/** No request of ours nests beyond a few levels; far deeper input would exhaust the validators' recursion. */
export const MAX_NESTING = 32;

/** The path of the first value nested deeper than `limit`, found without recursion (the input may be hostile). */
export const pathDeeperThan = (root: object, limit: number): string | undefined => {
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

type Storage = ReturnType<typeof getMetadataStorage>;
type ValidationRules = ReturnType<Storage['getTargetValidationMetadatas']>;
type RulesByProperty = ReturnType<Storage['groupByPropertyName']>;
type ValidatedClass = Parameters<Storage['getTargetValidationMetadatas']>[0];

/**
 * class-validator works out a class's rules on every `validate` call, scanning every decorated class of
 * the process, then groups them by property; both answers only change when a decorator registers a rule.
 * Kept per class until then: a batch validates thousands of items of a handful of classes. Same rules,
 * same checks; only the lookup is remembered.
 */
const rememberValidationRules = (): void => {
  const storage = getMetadataStorage();
  const rulesOf = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const register = storage.addValidationMetadata.bind(storage);
  let rules = new Map<ValidatedClass, Map<string, ValidationRules>>();
  const grouped = new WeakMap<ValidationRules, RulesByProperty>();
  storage.addValidationMetadata = (metadata) => {
    rules = new Map();
    register(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = JSON.stringify([schema, always, strictGroups, groups?.length ? groups : []]);
    let forTarget = rules.get(target);
    if (!forTarget) rules.set(target, (forTarget = new Map()));
    let found = forTarget.get(key);
    if (!found) forTarget.set(key, (found = rulesOf(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
};
rememberValidationRules();

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
  const errors = await validate(instance, VALIDATION_OPTIONS);
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, errors: flatten(errors) };
};
