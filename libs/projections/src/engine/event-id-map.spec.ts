import { newEventId } from '@bsc/event-store';
import { EventIdMap } from './event-id-map';

describe('EventIdMap', () => {
  it('keeps one value per id, the last set winning, and counts ids once', () => {
    const map = new EventIdMap<number>();
    map.set('a', 1).set('b', 2).set('a', 3);

    expect(map.get('a')).toBe(3);
    expect(map.get('b')).toBe(2);
    expect(map.get('c')).toBeUndefined();
    expect(map.size).toBe(2);
  });

  it('finds every id it was given, short, long and unicode alike', () => {
    const ids = ['', 'x', 'évènement-1', '事件-2', `${'z'.repeat(200)}-3`, ...Array.from({ length: 5000 }, () => newEventId())];
    const map = new EventIdMap<string>();
    for (const id of ids) map.set(id, `value of ${id}`);

    expect(map.size).toBe(ids.length);
    for (const id of ids) expect(map.get(id)).toBe(`value of ${id}`);
  });

  // The point of the shards: none holds much more than its share, or its growth stalls like one big map's.
  it.each([
    ['the API issues (UUID v7, made in one millisecond burst)', () => Array.from({ length: 64_000 }, () => newEventId())],
    ['counted in their last characters, as a generator or an import may make them', () => Array.from({ length: 64_000 }, (_, i) => `import-${String(i).padStart(8, '0')}`)],
  ])('spreads ids %s over its shards', (_kind, makeIds) => {
    const map = new EventIdMap<true>();
    for (const id of makeIds()) map.set(id, true);
    const sizes = map.shardSizes();
    const share = 64_000 / sizes.length;

    expect(Math.max(...sizes)).toBeLessThan(2 * share);
    expect(Math.min(...sizes)).toBeGreaterThan(share / 2);
  });
});
