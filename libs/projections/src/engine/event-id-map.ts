/**
 * Event id → value, spread over SHARDS maps. A Map grows by rehashing every entry in one go, so one map
 * of a million ids stalls whoever adds the entry that makes it grow. Building the locator of the 1M-event
 * bench history after start (2026-12-06, three runs each way), the longest slice, meant to last 10 ms,
 * was 152–310 ms with one Map and 82–95 ms with these 256 (young-generation collections of 15–35 ms
 * ran during the build; the rest is not accounted for). A live server also meets the next growth (two
 * million ids) between two requests.
 */
export class EventIdMap<V> {
  private readonly shards: Map<string, V>[] = Array.from({ length: SHARDS }, () => new Map<string, V>());

  get(eventId: string): V | undefined {
    return this.shards[shardOf(eventId)].get(eventId);
  }

  set(eventId: string, value: V): this {
    this.shards[shardOf(eventId)].set(eventId, value);
    return this;
  }

  get size(): number {
    let size = 0;
    for (const shard of this.shards) size += shard.size;
    return size;
  }

  /** How many ids each shard holds, for tests of the spread. */
  shardSizes(): number[] {
    return this.shards.map((shard) => shard.size);
  }
}

const SHARDS = 256;

/**
 * The shard of an id, from its last characters: those of a UUID v7 (what the API issues) are random; ids
 * brought by an import may follow any scheme, so several characters are mixed, not one taken.
 */
const shardOf = (eventId: string): number => {
  let hash = 0;
  for (let i = Math.max(0, eventId.length - 8); i < eventId.length; i++) hash = (Math.imul(hash, 31) + eventId.charCodeAt(i)) | 0;
  return (hash ^ (hash >>> 8)) & (SHARDS - 1);
};
