/**
 * TEST DOUBLE — the in-memory log behind the EventStoreDB protocol emulator. Never used by the
 * application. It keeps only what the emulator's gRPC handlers need: streams, revisions, a global
 * position per event and live listeners.
 */

/** One event as the emulator stores it; 64-bit values stay bigint like on the wire. */
export interface EmulatedRecord {
  eventId: string;
  streamId: string;
  revision: bigint;
  /** Commit and prepare positions are equal, as on a real server for non-transactional appends. */
  position: bigint;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** .NET ticks since the Unix epoch (ms × 10 000). */
  createdTicks: bigint;
}

export type ProposedRecord = Pick<EmulatedRecord, 'eventId' | 'type' | 'contentType' | 'data' | 'customMetadata'>;

export type ExpectedStreamState = { kind: 'any' } | { kind: 'no-stream' } | { kind: 'stream-exists' } | { kind: 'revision'; revision: bigint };

export type AppendOutcome =
  | { kind: 'success'; lastRevision: bigint | undefined; lastPosition: bigint | undefined }
  | { kind: 'wrong-expected-version'; currentRevision: bigint | undefined };

/** How an event is matched by a subscription filter (event type or stream id; prefixes or a regex). */
export interface RecordFilter {
  on: 'event-type' | 'stream-id';
  prefixes: readonly string[];
  regex: string | undefined;
}

const TICKS_PER_MILLISECOND = 10_000n;
/**
 * Real positions are byte offsets in the transaction file, so they have gaps. The emulator imitates
 * that (a fixed record overhead plus payload size) so an adapter that assumes 1, 2, 3… fails here.
 */
const RECORD_OVERHEAD_BYTES = 100n;
const FIRST_POSITION = 1_000n;

export class EmulatedLog {
  private readonly records: EmulatedRecord[] = [];
  private readonly streams = new Map<string, EmulatedRecord[]>();
  private readonly listeners = new Set<(record: EmulatedRecord) => void>();
  private nextPosition = FIRST_POSITION;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /**
   * Whether a `$all` read may start at `position`: the start of the log (0), a record's position, or the
   * end of the log or beyond. The real server reads its log at that byte offset: inside a record it finds
   * no record there and fails the read.
   */
  isReadFrom(position: bigint): boolean {
    return position === 0n || position >= this.nextPosition || this.all().some((record) => record.position === position);
  }

  all(): readonly EmulatedRecord[] {
    return this.records;
  }

  stream(streamId: string): readonly EmulatedRecord[] | undefined {
    return this.streams.get(streamId);
  }

  /** Appends atomically after checking the expected state, with EventStoreDB's best-effort idempotence. */
  append(streamId: string, expected: ExpectedStreamState, proposed: readonly ProposedRecord[]): AppendOutcome {
    const existing = this.streams.get(streamId) ?? [];
    const current = existing.length === 0 ? undefined : BigInt(existing.length - 1);

    const replayed = this.idempotentReplay(existing, expected, proposed);
    if (replayed) return replayed;

    if (!this.satisfies(expected, current)) return { kind: 'wrong-expected-version', currentRevision: current };
    if (proposed.length === 0) return { kind: 'success', lastRevision: current, lastPosition: undefined };

    const createdTicks = BigInt(this.now().getTime()) * TICKS_PER_MILLISECOND;
    const written = proposed.map((event, index) => {
      const record: EmulatedRecord = {
        ...event,
        streamId,
        revision: BigInt(existing.length + index),
        position: this.nextPosition,
        createdTicks,
      };
      this.nextPosition += RECORD_OVERHEAD_BYTES + BigInt(event.data.length + event.customMetadata.length);
      return record;
    });
    existing.push(...written);
    this.streams.set(streamId, existing);
    this.records.push(...written);
    for (const record of written) for (const listener of this.listeners) listener(record);
    const last = written[written.length - 1];
    return { kind: 'success', lastRevision: last.revision, lastPosition: last.position };
  }

  /** Registers a live listener; returns the function that removes it. */
  onAppended(listener: (record: EmulatedRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private satisfies(expected: ExpectedStreamState, current: bigint | undefined): boolean {
    switch (expected.kind) {
      case 'any':
        return true;
      case 'no-stream':
        return current === undefined;
      case 'stream-exists':
        return current !== undefined;
      case 'revision':
        return current === expected.revision;
    }
  }

  /**
   * EventStoreDB answers success without writing when the same event ids are re-appended at the same
   * expected position; the emulator does the same for exact revisions and `no-stream`.
   */
  private idempotentReplay(existing: readonly EmulatedRecord[], expected: ExpectedStreamState, proposed: readonly ProposedRecord[]): AppendOutcome | undefined {
    if (proposed.length === 0) return undefined;
    let first: number;
    if (expected.kind === 'no-stream') first = 0;
    else if (expected.kind === 'revision') first = Number(expected.revision) + 1;
    else return undefined;
    const already = existing.slice(first, first + proposed.length);
    if (already.length !== proposed.length) return undefined;
    if (!already.every((record, index) => record.eventId === proposed[index].eventId)) return undefined;
    const last = already[already.length - 1];
    return { kind: 'success', lastRevision: last.revision, lastPosition: last.position };
  }
}

/** Prefixes match with startsWith; a regex is unanchored, like .NET's Regex.IsMatch on the server. */
export function matchesFilter(filter: RecordFilter | undefined, record: EmulatedRecord): boolean {
  if (!filter) return true;
  const subject = filter.on === 'event-type' ? record.type : record.streamId;
  if (filter.regex !== undefined && filter.regex !== '') return new RegExp(filter.regex).test(subject);
  return filter.prefixes.some((prefix) => subject.startsWith(prefix));
}
