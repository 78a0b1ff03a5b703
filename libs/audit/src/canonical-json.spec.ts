import fc from 'fast-check';
import { finishNow } from '@bsc/projections';
import { canonicalJson, sameCanonicalJson } from './canonical-json';

/** JSON-like values with undefined members and elements, over few keys so that random pairs often share a shape. */
const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, true, 0, 1, -0, 'a', '', '固态'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  ),
}));

/** The same value with every object's keys in reverse order: canonically the same. */
const reordered = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, member]) => [key, reordered(member)]));
};

/** The definition, written plainly: what canonicalJson must always write. */
const reference = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((element) => (element === undefined ? 'null' : reference(element))).join(',')}]`;
  const members = Object.entries(value)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${reference(member)}`).join(',')}}`;
};

/** JSON values with undefined anywhere, keys of any text (digits, escapes, unicode) and objects wider than 16 keys. */
const { json: jsonWithUndefined } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, true, false, 0, -0, 1.5e300, -7, ''),
    fc.string({ unit: 'binary' }),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('10', '9', '0', 'a', 'A', '__proto__x')), tie('json'), { maxKeys: 24 }),
  ),
}));

describe('canonicalJson', () => {
  it('writes what the plain definition writes, for any JSON value', () => {
    fc.assert(
      fc.property(jsonWithUndefined, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('sorts keys as strings: "10" before "9", capitals before lower case', () => {
    expect(canonicalJson({ 9: 'a', 10: 'b', b: 1, B: 2 })).toBe('{"10":"b","9":"a","B":2,"b":1}');
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${39 - i}`, i]));
    expect(canonicalJson(wide)).toBe(reference(wide));
  });
});

describe('sameCanonicalJson', () => {
  it('agrees with comparing the canonical JSON texts, for any two values', () => {
    fc.assert(
      fc.property(anyValue, anyValue, (a, b) => {
        expect(finishNow(sameCanonicalJson(a, b))).toBe(canonicalJson(a) === canonicalJson(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a value the same as itself with its keys reordered, and not the same once one leaf differs', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(finishNow(sameCanonicalJson(value, reordered(value)))).toBe(true);
        expect(finishNow(sameCanonicalJson({ rows: [value, 1] }, { rows: [reordered(value), 2] }))).toBe(false);
      }),
    );
  });

  it('ignores undefined members and nulls undefined elements, as canonicalJson does', () => {
    expect(finishNow(sameCanonicalJson({ a: 1, b: undefined }, { a: 1 }))).toBe(true);
    expect(finishNow(sameCanonicalJson([undefined], [null]))).toBe(true);
    expect(finishNow(sameCanonicalJson({ a: null }, {}))).toBe(false);
  });

  it('steps once per array element, so a long list compares between other work', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ companyId: `company-${i}`, gwh: i }));
    const steps = sameCanonicalJson({ companies: rows }, { companies: rows.map((row) => ({ ...row })) });
    let count = 0;
    for (let next = steps.next(); !next.done; next = steps.next()) count++;

    expect(count).toBe(1000);
  });
});
