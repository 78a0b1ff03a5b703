import fc from 'fast-check';
import { nestsDeeperThan, pathDeeperThan } from './request-validation';

/** The straightforward definition: how many objects and arrays deep the value goes below the root. */
const depthOf = (value: unknown): number =>
  value === null || typeof value !== 'object' ? -1 : 1 + Math.max(-1, ...Object.values(value).map(depthOf));

const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.integer(), fc.string(), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 })),
})).value;

describe('nesting checks', () => {
  it('nestsDeeperThan agrees with the recursive depth, and pathDeeperThan names a path exactly when it is too deep', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(nested), fc.dictionary(fc.string(), nested)), fc.integer({ min: 0, max: 6 }), (root, limit) => {
        const tooDeep = depthOf(root) > limit;
        expect(nestsDeeperThan(root, limit)).toBe(tooDeep);
        expect(pathDeeperThan(root, limit) !== undefined).toBe(tooDeep);
      }),
      { numRuns: 2000 },
    );
  });

  it('names the first path too deep, as before', () => {
    expect(pathDeeperThan({ a: { b: [{ c: {} }] }, d: 1 }, 2)).toBe('a.b[0]');
    expect(pathDeeperThan({ a: { b: 1 } }, 2)).toBeUndefined();
  });
});
