import { DomainEvent, effectiveDateOf, withChanges } from '@bsc/domain';

/**
 * `effectiveDateOf`, bound once: called through the package's re-export, every call goes through a getter,
 * and it is called per fact.
 */
export const dateOf = effectiveDateOf;

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
  /** Derived on the first `factsByEffectiveDate` that needs it (never checkpointed); see `DatedView`. */
  dated?: DatedView;
  /** Derived on the first `foldLatestByEffectiveDate` that can use it (never checkpointed); see `FoldedSteps`. */
  folded?: FoldedSteps;
  /** The tag lists that hold this stream (kept by `read-model-state`, which owns the tags). */
  inTags?: string[][];
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

/** Whether a fact with this effective date passes the cut's asOf: undated facts (a registration) pass any. */
export const effectiveBy = (effectiveOn: string | undefined, asOf: string | undefined): boolean =>
  asOf === undefined || effectiveOn === undefined || effectiveOn <= asOf;

/**
 * How many leading entries have `key` ≤ `value` (entries sorted by that key): one binary search, skipped
 * when the last entry qualifies (most queries ask for a knownAt after everything a timeline holds).
 */
export const countAtOrBelow = <T, K extends number | string>(entries: readonly T[], key: (entry: T) => K, value: K): number => {
  let high = entries.length;
  if (high === 0 || key(entries[high - 1]) <= value) return high;
  let low = 0;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (key(entries[mid]) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
};

/**
 * A date as an integer that orders as the string does: 0 for '' (before every date), 1 + y·512 + m·32 + d
 * for YYYY-MM-DD, NOT_A_DAY for anything else (its caller then takes the straightforward path). Compared
 * as numbers, dates need no string read: a binary search over them stays within one array.
 */
export const dayKey = (value: unknown): number => {
  if (value === '') return 0;
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return NOT_A_DAY;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NOT_A_DAY;
    year = year * 10 + digit;
  }
  // A month above 12 or a day above 31 would reach into the next year's keys.
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  return month < 0 || month > 12 || day < 0 || day > 31 ? NOT_A_DAY : 1 + year * 512 + month * 32 + day;
};
export const NOT_A_DAY = -1;

const twoDigits = (value: string, at: number): number => {
  const tens = value.charCodeAt(at) - 48;
  const units = value.charCodeAt(at + 1) - 48;
  return tens < 0 || tens > 9 || units < 0 || units > 9 ? -1 : tens * 10 + units;
};

const recordedMsOf = (entry: { recordedMs: number }): number => entry.recordedMs;

/** Index of the first entry recorded strictly after `ms` (entries sorted by `recordedMs`). */
export const countRecordedBy = (entries: readonly { recordedMs: number }[], ms: number): number => countAtOrBelow(entries, recordedMsOf, ms);

export const emptyTimeline = (streamId: string): EntityTimeline => ({ streamId, facts: [], amendments: [], dated: undefined, folded: undefined, inTags: undefined });

/**
 * Adds a fact at the end of its stream. Record time is clamped to the stream's last one so the list
 * stays sorted for binary search even if a writer broke the per-stream monotonic rule.
 */
export const appendFact = (timeline: EntityTimeline, fact: TimelineFact): void => {
  fact.recordedMs = Math.max(fact.recordedMs, lastRecordedMs(timeline));
  timeline.facts.push(fact);
  timeline.folded = undefined;
};

export const appendAmendment = (timeline: EntityTimeline, amendment: TimelineAmendment): void => {
  amendment.recordedMs = Math.max(amendment.recordedMs, lastRecordedMs(timeline));
  timeline.amendments.push(amendment);
  timeline.folded = undefined;
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
  const amendments = amendmentsKnown(timeline, countRecordedBy(timeline.amendments, cut.knownAtMs));
  const selected: SelectedFact[] = [];
  for (let i = 0; i < known; i++) {
    const fact = timeline.facts[i];
    const amendment = amendments?.get(fact.eventId);
    if (amendment?.retracted) continue;
    const event = readWithChanges(fact, amendment?.changes);
    const effectiveOn = dateOf(event);
    if (!effectiveBy(effectiveOn, cut.asOf)) continue;
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

/** The first `count` amendments merged per target; undefined when there are none (most entities). */
const amendmentsKnown = (timeline: EntityTimeline, count: number): Map<string, KnownAmendment> | undefined => {
  if (count === 0) return undefined;
  const known = new Map<string, KnownAmendment>();
  for (let i = 0; i < count; i++) {
    const amendment = timeline.amendments[i];
    const entry = known.get(amendment.targetEventId) ?? { retracted: false };
    if (amendment.kind === 'retraction') entry.retracted = true;
    else entry.changes = withChanges(entry.changes, amendment.changes);
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

/**
 * The live facts of one reading of a timeline (its first `facts` facts, its first `amendments` amendments
 * applied) in `byEffectiveDate` order, so that a cut by asOf is a binary search and an answer costs what it
 * selects, not what the entity's history holds (a tariff gathers thousands of rate changes, dated ever
 * later). Facts are only appended, so the view is extended while the amendments stay the same, and made
 * again for the latest reading when they do not.
 */
interface DatedView {
  facts: number;
  amendments: number;
  /** The latest record time of the reading: a cut known at or after it knows all of it. */
  recordedThrough: number;
  /** The reading's amendments merged per target, for the facts appended later. */
  known: Map<string, KnownAmendment> | undefined;
  /** Index of each live fact, in effective-date order (undated first), then stream order. */
  order: number[];
  /** `dayKey` of the effective date of `order[i]` (0 when undated); no view is made when one is not a day. */
  keys: number[];
  /** The effective date of `order[i]`, as the fact has it. */
  dates: (string | undefined)[];
  /** The corrected reading of the facts a correction changed, by fact index. */
  corrected: Map<number, DomainEvent> | undefined;
}

/**
 * `factsAt(timeline, cut).sort(byEffectiveDate)`, computed from the timeline's `DatedView` whenever the
 * timeline is long and the cut knows exactly the amendments of the view's reading (knownAt at or after the
 * latest amendment, the usual case): then only the facts effective by asOf are visited. Other cuts, and
 * short timelines, take the straightforward way.
 *
 * @example
 *   factsByEffectiveDate(tariffTimeline, { asOf: '2024-06-30', knownAtMs: Date.now() })
 */
export const factsByEffectiveDate = (timeline: EntityTimeline | undefined, cut: Cut): SelectedFact[] => {
  if (!timeline) return [];
  if (timeline.facts.length < DATED_VIEW_MIN_FACTS) return factsAt(timeline, cut).sort(byEffectiveDate);
  const asOf = cut.asOf === undefined ? Number.POSITIVE_INFINITY : dayKey(cut.asOf);
  const latest = timeline.dated;
  // Known at or after the latest record time (the usual cut): no record time needs to be read.
  const knowsAll =
    latest !== undefined && latest.facts === timeline.facts.length && latest.amendments === timeline.amendments.length && cut.knownAtMs >= latest.recordedThrough;
  const known = knowsAll ? timeline.facts.length : countRecordedBy(timeline.facts, cut.knownAtMs);
  if (known === 0) return [];
  const amended = knowsAll ? timeline.amendments.length : countRecordedBy(timeline.amendments, cut.knownAtMs);
  const view = asOf === NOT_A_DAY ? undefined : datedView(timeline, amended);
  if (!view) return factsAt(timeline, cut).sort(byEffectiveDate);
  const { order, keys, dates, corrected } = view;
  const end = countAtOrBelow(keys, dayOf, asOf);
  const selected: SelectedFact[] = [];
  for (let i = 0; i < end; i++) {
    const index = order[i];
    if (index >= known) continue;
    const fact = timeline.facts[index];
    const correction = corrected?.get(index);
    selected.push({
      eventId: fact.eventId,
      position: fact.position,
      effectiveOn: dates[i],
      event: correction ?? ({ type: fact.type, data: fact.data } as DomainEvent),
      corrected: correction !== undefined,
    });
  }
  return selected;
};

const dayOf = (key: number): number => key;

/**
 * `factsByEffectiveDate(timeline, cut)` folded with `step`, without building that list where it need not:
 * on a short timeline whose selected facts were recorded in date order (a plant, a company: almost always),
 * the facts are visited where they lie; with no amendment known at the cut nothing is allocated, with a few
 * only the amended readings and their list. A capacity answer folds every plant of a company: at a million
 * events those lists and their sort were about 70 of the 190 KB it allocated (heap sampling, 2026-12-05),
 * and a quarter of the plants there carry a correction.
 *
 * @example
 *   foldByEffectiveDate(plantTimeline, cut, undefined, foldPlant)
 */
export const foldByEffectiveDate = <S>(
  timeline: EntityTimeline | undefined,
  cut: Cut,
  initial: S,
  step: (state: S, event: DomainEvent, effectiveOn: string | undefined) => S,
): S => {
  if (!timeline) return initial;
  let state = initial;
  // Long timelines keep their dated view, which visits only the facts effective by asOf.
  if (timeline.facts.length < DATED_VIEW_MIN_FACTS) {
    const known = countRecordedBy(timeline.facts, cut.knownAtMs);
    const amended = countRecordedBy(timeline.amendments, cut.knownAtMs);
    if (amended <= IN_PLACE_MAX_AMENDMENTS && readingsInDateOrder(timeline, known, amended, cut.asOf)) {
      for (let i = 0; i < known; i++) {
        const event = readingOf(timeline.facts[i], timeline.amendments, amended);
        if (event === undefined) continue;
        const effectiveOn = dateOf(event);
        if (effectiveBy(effectiveOn, cut.asOf)) state = step(state, event, effectiveOn);
      }
      return state;
    }
  }
  for (const { event, effectiveOn } of factsByEffectiveDate(timeline, cut)) state = step(state, event, effectiveOn);
  return state;
};

/**
 * A timeline's latest reading folded once: the state after each effective date, so a cut that knows all of
 * the reading is answered by one binary search over the dates instead of a fold. Made for the one `step`
 * it was folded with, only for timelines short enough that a state per date stays small, and dropped by
 * `appendFact` and `appendAmendment`, so whatever a timeline holds is current.
 */
interface FoldedSteps {
  step: unknown;
  initial: unknown;
  /** The latest record time of the reading: only a cut known at or after it may use the steps. */
  recordedThrough: number;
  /** `dayKey` of each distinct effective date, ascending (0: undated facts). */
  keys: number[];
  /** The state after every fact effective on or before `keys[i]`. */
  states: unknown[];
}

/**
 * `foldByEffectiveDate(timeline, cut, initial, step)`, answered from the timeline's folded steps when the
 * cut knows all of its latest reading (knownAt at or after its last record time: the default knownAt,
 * "now", always does). A capacity answer folds every plant of a company, and at a million events that fold
 * was about half of the answer's CPU time (profile, 2026-12-06), most of it waiting on memory: a plant's
 * facts, their data and dates lie all over a large heap. The steps are made on first use and again after
 * the timeline changes. The state returned may be shared by later answers: callers must not change it.
 * `snapshot` copies a state so that the steps of a later date cannot change the one kept (`shallowCopy`
 * for a flat record).
 *
 * @example
 *   foldLatestByEffectiveDate(plantTimeline, cut, undefined, foldPlant, shallowCopy)
 */
export const foldLatestByEffectiveDate = <S>(
  timeline: EntityTimeline | undefined,
  cut: Cut,
  initial: S,
  step: (state: S, event: DomainEvent, effectiveOn: string | undefined) => S,
  snapshot: (state: S) => S,
  kept: KeptStates = 'make',
): S => {
  if (!timeline) return initial;
  const asOf = cut.asOf === undefined ? Number.POSITIVE_INFINITY : dayKey(cut.asOf);
  const steps = asOf === NOT_A_DAY ? undefined : foldedSteps(timeline, cut, initial, step, snapshot, kept);
  if (!steps) return foldByEffectiveDate(timeline, cut, initial, step);
  const count = countAtOrBelow(steps.keys, dayOf, asOf);
  return count === 0 ? initial : (steps.states[count - 1] as S);
};

/**
 * Whether `foldLatestByEffectiveDate` may make a timeline's folded steps where they are missing (`make`) or
 * only use those already there (`use`). A read over every company uses them: made for every plant, they
 * held ~165 MB of a million-event heap after one all-company list, for plants no one may ask about again.
 */
export type KeptStates = 'make' | 'use';

/** The `snapshot` of `foldLatestByEffectiveDate` for a state that is a flat record, or not there yet. */
export const shallowCopy = <T extends object>(state: T | undefined): T | undefined => state && { ...state };

/** The timeline's folded steps if the cut may use them, made when missing; undefined otherwise. */
const foldedSteps = <S>(
  timeline: EntityTimeline,
  cut: Cut,
  initial: S,
  step: (state: S, event: DomainEvent, effectiveOn: string | undefined) => S,
  snapshot: (state: S) => S,
  kept: KeptStates,
): FoldedSteps | undefined => {
  const current = timeline.folded;
  if (current !== undefined && current.step === step && current.initial === initial) {
    return cut.knownAtMs >= current.recordedThrough ? current : undefined;
  }
  if (kept === 'use') return undefined;
  const recordedThrough = lastRecordedMs(timeline);
  // Only the latest reading gets steps, and only long-known ones: an older cut would make steps no one asks for again.
  if (cut.knownAtMs < recordedThrough || timeline.facts.length >= DATED_VIEW_MIN_FACTS) return undefined;
  const keys: number[] = [];
  const states: unknown[] = [];
  let state = initial;
  for (const fact of factsByEffectiveDate(timeline, { knownAtMs: recordedThrough })) {
    const key = fact.effectiveOn === undefined ? 0 : dayKey(fact.effectiveOn);
    if (key === NOT_A_DAY) return undefined;
    const sameDate = keys.length > 0 && keys[keys.length - 1] === key;
    // The state kept for the previous date stays as it is: the steps of a new date change a copy.
    if (keys.length > 0 && !sameDate) state = snapshot(state);
    state = step(state, fact.event, fact.effectiveOn);
    if (sameDate) states[states.length - 1] = state;
    else {
      keys.push(key);
      states.push(state);
    }
  }
  // Copied to their length: a pushed array keeps room for 17 entries, and there is a pair per entity.
  const steps: FoldedSteps = { step, initial, recordedThrough, keys: keys.slice(), states: states.slice() };
  timeline.folded = steps;
  return steps;
};

/** Each fact is checked against every known amendment: beyond a few, the merged map of `factsAt` costs less. */
const IN_PLACE_MAX_AMENDMENTS = 8;

/** A fact as recorded carries its event's type and data: unamended, it reads as the event itself. */
const eventOf = (fact: TimelineFact): DomainEvent => fact as unknown as DomainEvent;

/**
 * Whether the first `known` facts, read with the first `amended` amendments, are in `byEffectiveDate`
 * order (undated first) where they pass asOf: false when a date was recorded late or a correction moved one.
 */
const readingsInDateOrder = (timeline: EntityTimeline, known: number, amended: number, asOf: string | undefined): boolean => {
  let previous = '';
  for (let i = 0; i < known; i++) {
    const event = readingOf(timeline.facts[i], timeline.amendments, amended);
    if (event === undefined) continue;
    const effectiveOn = dateOf(event);
    if (!effectiveBy(effectiveOn, asOf)) continue;
    const date = effectiveOn ?? '';
    if (date < previous) return false;
    previous = date;
  }
  return true;
};

/**
 * The fact as the first `count` amendments leave it, merged as `amendmentsKnown` merges them (a retraction
 * wins, later corrections win); undefined once retracted. Unamended, the fact itself: nothing allocated.
 */
export const readingOf = (fact: TimelineFact, amendments: readonly TimelineAmendment[], count: number): DomainEvent | undefined => {
  let changes: Record<string, unknown> | undefined;
  for (let i = 0; i < count; i++) {
    const amendment = amendments[i];
    if (amendment.targetEventId !== fact.eventId) continue;
    if (amendment.kind === 'retraction') return undefined;
    changes = withChanges(changes, amendment.changes);
  }
  return changes === undefined ? eventOf(fact) : readWithChanges(fact, changes);
};

/** The fact's event with a correction's changes merged into its data. */
const readWithChanges = (fact: TimelineFact, changes: Record<string, unknown> | undefined): DomainEvent =>
  ({ type: fact.type, data: changes ? withChanges(fact.data, changes) : fact.data }) as DomainEvent;

/**
 * Below this many facts a timeline is read the straightforward way: sorting a handful of facts costs less
 * than keeping a view, and views made by queries over many small timelines (a company's plants) are
 * long-lived objects that bring full collections of the whole heap.
 */
const DATED_VIEW_MIN_FACTS = 32;

/** The timeline's view for the reading with `amended` amendments, extended to every fact; undefined when there is none. */
const datedView = (timeline: EntityTimeline, amended: number): DatedView | undefined => {
  let view = timeline.dated;
  if (view === undefined || view.amendments !== amended) {
    // Only the latest reading gets a view: it is the one asked for again and again.
    if (amended !== timeline.amendments.length) return undefined;
    const known = amendmentsKnown(timeline, amended);
    view = { facts: 0, amendments: amended, recordedThrough: lastRecordedMs(timeline), known, order: [], keys: [], dates: [], corrected: undefined };
    timeline.dated = view;
  }
  if (view.facts < timeline.facts.length && !extendView(view, timeline)) {
    timeline.dated = undefined;
    return undefined;
  }
  return view;
};

/** Places the facts appended since the view was last extended; false when one has a date that is not a day. */
const extendView = (view: DatedView, timeline: EntityTimeline): boolean => {
  const { order, keys, dates } = view;
  let sorted = true;
  for (let index = view.facts; index < timeline.facts.length; index++) {
    const fact = timeline.facts[index];
    const amendment = view.known?.get(fact.eventId);
    if (amendment?.retracted) continue;
    const event = readWithChanges(fact, amendment?.changes);
    const date = dateOf(event);
    const key = date === undefined ? 0 : dayKey(date);
    if (key === NOT_A_DAY) return false;
    if (amendment?.changes) (view.corrected ??= new Map()).set(index, event);
    if (keys.length > 0 && key < keys[keys.length - 1]) sorted = false;
    order.push(index);
    keys.push(key);
    dates.push(date);
  }
  view.facts = timeline.facts.length;
  view.recordedThrough = lastRecordedMs(timeline);
  if (!sorted) {
    // Indices follow stream order, and so position order, within a date.
    const byDate = order.map((index, i) => ({ index, key: keys[i], date: dates[i] }));
    byDate.sort((a, b) => a.key - b.key || a.index - b.index);
    byDate.forEach((entry, i) => {
      order[i] = entry.index;
      keys[i] = entry.key;
      dates[i] = entry.date;
    });
  }
  return true;
};
