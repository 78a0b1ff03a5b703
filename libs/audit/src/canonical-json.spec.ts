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
