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
