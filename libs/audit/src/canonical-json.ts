/**
 * Deterministic JSON: object keys sorted, no whitespace, `undefined` members dropped, so that the same
 * value always hashes the same whichever store or process wrote it.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite numbers have no JSON form');
    return JSON.stringify(value) ?? 'null';
  }
  // Plain loops and concatenation: every sealed event goes through here, and batches seal thousands.
  if (Array.isArray(value)) {
    let json = '[';
    for (let i = 0; i < value.length; i++) json += (i === 0 ? '' : ',') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return `${json}]`;
  }
  const record = value as Record<string, unknown>;
  let json = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    json += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${json}}`;
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
