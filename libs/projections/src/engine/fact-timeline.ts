import { DomainEvent, effectiveDateOf } from '@bsc/domain';

/** A fact as stored in an entity's timeline: the event as recorded, with both clocks. */
export interface TimelineFact {
  eventId: string;
  /** The stream it belongs to, so an event id alone finds its timeline. */
  streamId: string;
  type: DomainEvent['type'];
  data: DomainEvent['data'];
  position: number;
  /**
   * The record time as written; undefined once a checkpoint found it to be `recordedMs` in ISO form (only a
   * clamped time or another notation is kept), which saves 40 MB per million facts: read it with
   * `recordedAtOf`.
   */
  recordedAt: string | undefined;
  /** The record time in epoch ms, never below the previous entry of the same stream (see `appendFact`). */
  recordedMs: number;
}

/** A correction or retraction, kept beside the facts of the stream it amends. */
export interface TimelineAmendment {
  eventId: string;
  streamId: string;
  kind: 'correction' | 'retraction';
  targetEventId: string;
  changes?: Record<string, unknown>;
  reason: string;
  position: number;
  /** As in `TimelineFact`: read it with `recordedAtOf`. */
  recordedAt: string | undefined;
  recordedMs: number;
}

/** One entity (stream): its facts and amendments, each list in stream order and so in record-time order. */
export interface EntityTimeline {
  streamId: string;
  facts: TimelineFact[];
  amendments: TimelineAmendment[];
}

/** A fact as it reads at a knownAt: amendments applied, effective date recomputed from the amended data. */
export interface SelectedFact {
  eventId: string;
  position: number;
  effectiveOn: string | undefined;
  event: DomainEvent;
  /** Whether a correction known at knownAt changed this fact. */
  corrected: boolean;
}

/** The two clocks of a query, `knownAt` already in epoch ms. */
export interface Cut {
  /** Valid time, `YYYY-MM-DD`; facts with a later effective date are left out. Omitted = no valid-time cut. */
  asOf?: string;
  knownAtMs: number;
}

/** How many leading entries have `key` ≤ `value` (entries sorted by that key): one binary search. */
export const countAtOrBelow = <T>(entries: readonly T[], key: (entry: T) => number, value: number): number => {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (key(entries[mid]) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
};

/** Index of the first entry recorded strictly after `ms` (entries sorted by `recordedMs`). */
export const countRecordedBy = (entries: readonly { recordedMs: number }[], ms: number): number => countAtOrBelow(entries, (entry) => entry.recordedMs, ms);

export const emptyTimeline = (streamId: string): EntityTimeline => ({ streamId, facts: [], amendments: [] });

/**
 * Adds a fact at the end of its stream. Record time is clamped to the stream's last one so the list
 * stays sorted for binary search even if a writer broke the per-stream monotonic rule.
 */
export const appendFact = (timeline: EntityTimeline, fact: TimelineFact): void => {
  fact.recordedMs = Math.max(fact.recordedMs, lastRecordedMs(timeline));
  timeline.facts.push(fact);
};

export const appendAmendment = (timeline: EntityTimeline, amendment: TimelineAmendment): void => {
  amendment.recordedMs = Math.max(amendment.recordedMs, lastRecordedMs(timeline));
  timeline.amendments.push(amendment);
};

/** The record time as written: kept verbatim, or `recordedMs` in ISO form when that is what was written. */
export const recordedAtOf = (entry: TimelineFact | TimelineAmendment): string => entry.recordedAt ?? new Date(entry.recordedMs).toISOString();

/**
 * `recordedAt` when it must be kept, undefined when `recordedAtOf` gives it back exactly without it. Such a
 * string is dropped from the entry on the way (the answer of `recordedAtOf` is unchanged), so a replayed
 * state is as compact as a restored one after its first checkpoint and the next one does not check again.
 */
export const verbatimRecordedAt = (entry: TimelineFact | TimelineAmendment): string | undefined => {
  if (entry.recordedAt !== undefined && entry.recordedAt === new Date(entry.recordedMs).toISOString()) entry.recordedAt = undefined;
  return entry.recordedAt;
};

const lastRecordedMs = (timeline: EntityTimeline): number =>
  Math.max(timeline.facts.at(-1)?.recordedMs ?? -Infinity, timeline.amendments.at(-1)?.recordedMs ?? -Infinity);

/**
 * The entity's facts at (asOf, knownAt), in stream order: recorded ≤ knownAt (binary search on the
 * per-stream monotonic record time), with corrections recorded ≤ knownAt merged into their data (later
 * corrections win), retracted facts left out, then facts effective after `asOf` left out. Facts without an
 * effective date (a registration) pass any `asOf`. Cost: O(facts of this entity), independent of the log.
 *
 * @example
 *   factsAt(plantTimeline, { asOf: '2024-12-31', knownAtMs: Date.parse('2025-03-01T00:00:00Z') })
 */
export const factsAt = (timeline: EntityTimeline | undefined, cut: Cut): SelectedFact[] => {
  if (!timeline) return [];
  const known = countRecordedBy(timeline.facts, cut.knownAtMs);
  if (known === 0) return [];
  const amendments = amendmentsKnown(timeline, cut.knownAtMs);
  const selected: SelectedFact[] = [];
  for (let i = 0; i < known; i++) {
    const fact = timeline.facts[i];
    const amendment = amendments.get(fact.eventId);
    if (amendment?.retracted) continue;
    const data = amendment?.changes ? { ...(fact.data as object), ...amendment.changes } : fact.data;
    const event = { type: fact.type, data } as DomainEvent;
    const effectiveOn = effectiveDateOf(event);
    if (cut.asOf !== undefined && effectiveOn !== undefined && effectiveOn > cut.asOf) continue;
    selected.push({
      eventId: fact.eventId,
      position: fact.position,
      effectiveOn,
      event,
      corrected: amendment?.changes !== undefined,
    });
  }
  return selected;
};

interface KnownAmendment {
  retracted: boolean;
  changes?: Record<string, unknown>;
}

const amendmentsKnown = (timeline: EntityTimeline, knownAtMs: number): Map<string, KnownAmendment> => {
  const known = new Map<string, KnownAmendment>();
  const count = countRecordedBy(timeline.amendments, knownAtMs);
  for (let i = 0; i < count; i++) {
    const amendment = timeline.amendments[i];
    const entry = known.get(amendment.targetEventId) ?? { retracted: false };
    if (amendment.kind === 'retraction') entry.retracted = true;
    else entry.changes = { ...entry.changes, ...amendment.changes };
    known.set(amendment.targetEventId, entry);
  }
  return known;
};

/** Orders selected facts by effective date, then log position (undated facts first). */
export const byEffectiveDate = (a: SelectedFact, b: SelectedFact): number => {
  const left = a.effectiveOn ?? '';
  const right = b.effectiveOn ?? '';
  if (left !== right) return left < right ? -1 : 1;
  return a.position - b.position;
};
