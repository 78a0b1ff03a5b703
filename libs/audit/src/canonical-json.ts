/**
 * Deterministic JSON: object keys sorted, no whitespace, `undefined` members dropped, so that the same
 * value always hashes the same whichever store or process wrote it.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite numbers have no JSON form');
    return JSON.stringify(value) ?? 'null';
  }
  // Plain loops, concatenation, keys sorted in place and quoted once: every sealed event goes through
  // here, and batches seal thousands (it was ~8 % of a batch's time on the event loop, its key sorts and
  // quoted keys a third of what sealing allocated).
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) json += ',';
      const element: unknown = value[i];
      json += element === undefined ? 'null' : canonicalJson(element);
    }
    return json + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = sortedInPlace(Object.keys(record));
  let json = '{';
  for (let i = 0; i < keys.length; i++) {
    const member = record[keys[i]];
    if (member === undefined) continue;
    if (json.length > 1) json += ',';
    json += quotedKey(keys[i]);
    json += ':';
    json += canonicalJson(member);
  }
  return json + '}';
};

/** Insertion sort for the few keys of an event's objects (no copy, unlike `Array.prototype.sort`); the same order. */
const sortedInPlace = (keys: string[]): string[] => {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
};

/** Events share a small vocabulary of keys. Bounded, because keys also come from callers' input. */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 4096;
const MAX_QUOTED_KEY_LENGTH = 64;

const quotedKey = (key: string): string => {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (key.length <= MAX_QUOTED_KEY_LENGTH && QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
};

/**
 * Whether two values have the same canonical JSON, as steps (see `finishNow` and `finishInSlices`): objects
 * member by member, their arrays an element per step, so two lists of megabytes compare between other work
 * rather than as two texts made at once.
 */
export function* sameCanonicalJson(a: unknown, b: unknown): Generator<void, boolean, undefined> {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!(yield* sameCanonicalJson(a[i], b[i]))) return false;
      yield;
    }
    return true;
  }
  if (!isRecord(a) || !isRecord(b)) return canonicalJson(a) === canonicalJson(b);
  const keys = definedKeys(a);
  const otherKeys = definedKeys(b);
  if (keys.length !== otherKeys.length || keys.some((key, i) => key !== otherKeys[i])) return false;
  for (const key of keys) if (!(yield* sameCanonicalJson(a[key], b[key]))) return false;
  return true;
}

/** What canonicalJson writes as an object: any non-null object but an array. */
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const definedKeys = (record: Record<string, unknown>): string[] =>
  Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
