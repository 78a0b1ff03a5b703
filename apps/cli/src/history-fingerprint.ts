import { hash } from 'node:crypto';
import { canonicalJson } from '@bsc/audit';
import { EventStore } from '@bsc/event-store';

/** What two copies of one history must share, store positions and the store's own record time aside. */
export interface HistoryFingerprint {
  events: number;
  /** Per stream: how many events, and a digest chained over each event's id, revision, type, data and metadata. */
  streams: Map<string, { count: number; digest: string }>;
  /** A digest chained over the event ids in global order. */
  orderDigest: string;
}

const chain = (previous: string, value: string): string => hash('sha256', `${previous}\n${value}`, 'hex');

/**
 * Reads the log once (up to `upToPosition`), keeping one digest per stream rather than the events, so a
 * long history fits in memory.
 */
export const fingerprintHistory = async (store: EventStore, upToPosition = Number.MAX_SAFE_INTEGER): Promise<HistoryFingerprint> => {
  const streams = new Map<string, { count: number; digest: string }>();
  let orderDigest = '';
  let events = 0;
  for await (const event of store.readAll()) {
    if (event.position > upToPosition) break;
    const stream = streams.get(event.streamId) ?? { count: 0, digest: '' };
    stream.digest = chain(stream.digest, canonicalJson([event.eventId, event.revision, event.type, event.data, event.metadata]));
    stream.count += 1;
    streams.set(event.streamId, stream);
    orderDigest = chain(orderDigest, event.eventId);
    events += 1;
  }
  return { events, streams, orderDigest };
};

/** Human-readable differences between two fingerprints, at most `limit` of them (empty when they agree). */
export const compareFingerprints = (source: HistoryFingerprint, target: HistoryFingerprint, limit = 20): string[] => {
  const differences: string[] = [];
  const note = (text: string) => {
    if (differences.length < limit) differences.push(text);
  };
  if (source.events !== target.events) note(`the source holds ${source.events} events, the target ${target.events}`);
  for (const [streamId, ours] of source.streams) {
    const theirs = target.streams.get(streamId);
    if (!theirs) note(`stream ${streamId} (${ours.count} events) is missing from the target`);
    else if (theirs.count !== ours.count) note(`stream ${streamId}: ${ours.count} events in the source, ${theirs.count} in the target`);
    else if (theirs.digest !== ours.digest) note(`stream ${streamId}: event ids, order, data or metadata differ`);
  }
  for (const [streamId, theirs] of target.streams) {
    if (!source.streams.has(streamId)) note(`stream ${streamId} (${theirs.count} events) is only in the target`);
  }
  if (differences.length === 0 && source.orderDigest !== target.orderDigest) note('the streams agree but the global order of events differs');
  return differences;
};
