import { DomainEvent, MILESTONE_STAGES, MilestoneStage, streamIds } from '@bsc/domain';
import { bucketsOfPlant } from '../company-capacity/capacity-buckets';
import { PlantAt, foldPlant } from '../company-capacity/plant-state';
import { EntityTimeline, NOT_A_DAY, TimelineAmendment, TimelineFact, countAtOrBelow, dateOf, dayKey, readingOf } from '../engine/fact-timeline';
import { SlicedBuild, runInSlices } from '../engine/in-slices';
import { ReadModelState, streamsTagged, tag } from '../engine/read-model-state';

/**
 * A per-route index of the technology-route timeline, so a query costs what it returns rather than what
 * the route's history holds. It is derived from the entities (never checkpointed) and kept current from
 * the facts and amendments `apply` queues for it.
 *
 * Bitemporal by construction: every entry and every plant's capacity contribution is kept in versions,
 * each valid for the record times [from, until) in which its stream read that way (a stream's record
 * times never go backwards, so its knowledge at knownAt K is the prefix recorded ≤ K). A version is
 * opened when a fact or amendment of its stream is taken and closed by the next one that changes it.
 *
 * Streams the index cannot describe exactly with a per-version answer — a plant announced twice (its
 * route and company then depend on asOf), a plant whose company was registered after it or had its
 * registration retracted (the company gate then changes within a version), a date not of the form
 * YYYY-MM-DD — are left out of it and answered by the straightforward per-stream computation at query
 * time; they are rare.
 *
 * At a million events it holds about a million entry versions and as many capacity steps, so both are
 * kept in parallel typed arrays (a version is a row number, never an object) and an entry's text is
 * rendered only when a page shows it.
 */

export const ROUTE_ENTRY_KINDS = [
  'capacity-announcement',
  'construction-start',
  'commissioning',
  'financing-round',
  'standard-stage',
  'milestone',
] as const;
export type RouteEntryKind = (typeof ROUTE_ENTRY_KINDS)[number];

export interface RouteEntry {
  on: string;
  kind: RouteEntryKind;
  eventId: string;
  companyId?: string;
  summary: string;
}

/**
 * What one fact contributes to a route's timeline at one reading of its stream, with the conditions
 * that depend on the query's cut rather than on the stream.
 */
export interface EntryCandidate {
  routeId: string;
  on: string;
  kind: RouteEntryKind;
  companyId?: string;
  /** The entry's text, made only for the entries an answer shows. */
  summary: () => string;
  /** The plant's announcement date: a plant's entries count only once the plant exists at asOf. */
  gateOn?: string;
  /** The company whose registration must be known at knownAt. */
  gateCompany?: string;
  /** The milestone stage the entry reaches (a commissioning counts as mass production). */
  reach?: MilestoneStage;
}

/** One reading of a stream: its first `facts` facts and first `amendments` amendments. */
export interface Reading {
  timeline: EntityTimeline;
  facts: number;
  amendments: number;
}

/** A fact as the reading has it: its data with the reading's corrections merged (later ones win); undefined when retracted. */
const eventAt = (reading: Reading, fact: TimelineFact): DomainEvent | undefined => readingOf(fact, reading.timeline.amendments, reading.amendments);

const firstLiveOfType = (reading: Reading, type: DomainEvent['type']): DomainEvent | undefined => {
  for (let i = 0; i < reading.facts; i++) {
    const fact = reading.timeline.facts[i];
    if (fact.type !== type) continue;
    const event = eventAt(reading, fact);
    if (event) return event;
  }
  return undefined;
};

const distinctStrings = (value: unknown): string[] =>
  Array.isArray(value) ? [...new Set(value.filter((item): item is string => typeof item === 'string'))] : [];

/**
 * The entries one fact gives at a reading of its stream: the same rules as the straightforward timeline
 * (a plant's entries need its one announcement, a standard's stages its registration), with the parts
 * that depend on the cut left as gates. Used both to index and to render a page, so the two never differ.
 */
export const candidatesOf = (reading: Reading, factIndex: number): EntryCandidate[] => {
  const fact = reading.timeline.facts[factIndex];
  const event = eventAt(reading, fact);
  if (!event) return [];
  const on = dateOf(event);
  if (on === undefined) return [];
  switch (event.type) {
    case 'CapacityAnnounced': {
      const { companyId, plannedCapacityGwh, plantId, country, technologyRoute } = event.data;
      const summary = () => `${companyId} announced ${plannedCapacityGwh} GWh ${technologyRoute} plant ${plantId} in ${country}`;
      return [entry(technologyRoute, on, 'capacity-announcement', summary, companyId, on)];
    }
    case 'PlantConstructionStarted':
    case 'PlantCommissioned': {
      const announcement = firstLiveOfType(reading, 'CapacityAnnounced');
      if (announcement?.type !== 'CapacityAnnounced') return [];
      const { plantId, country, companyId, technologyRoute } = announcement.data;
      const gateOn = dateOf(announcement);
      return event.type === 'PlantConstructionStarted'
        ? [entry(technologyRoute, on, 'construction-start', () => `construction started at ${plantId} (${country})`, companyId, gateOn)]
        : [entry(technologyRoute, on, 'commissioning', () => `${plantId} commissioned ${event.data.capacityGwh} GWh`, companyId, gateOn, undefined, 'mass-production')];
    }
    case 'FinancingRoundClosed': {
      const { companyId, technologyRoutes, roundLabel, roundType, amount } = event.data;
      const summary = () => {
        const qualifier = amount.qualifier && amount.qualifier !== 'exact' ? `${amount.qualifier} ` : '';
        return `${companyId} closed a ${roundLabel ?? roundType} round of ${qualifier}${amount.value} ${amount.currency}`;
      };
      return distinctStrings(technologyRoutes).map((routeId) => entry(routeId, on, 'financing-round', summary, companyId, undefined, companyId));
    }
    case 'StandardRegistered':
    case 'StandardStageChanged': {
      const registration = firstLiveOfType(reading, 'StandardRegistered');
      if (registration?.type !== 'StandardRegistered') return [];
      const { title, jurisdiction, technologyRoutes } = registration.data;
      const summary = () => `${title} (${jurisdiction}) reached ${event.data.stage}`;
      return distinctStrings(technologyRoutes).map((routeId) => entry(routeId, on, 'standard-stage', summary, undefined));
    }
    case 'TechnologyMilestoneReached':
      return [entry(event.data.technologyRoute, on, 'milestone', () => `${event.data.stage}: ${event.data.description}`, event.data.companyId, undefined, undefined, event.data.stage)];
    default:
      return [];
  }
};

/** Every candidate of one shape (absent fields undefined): a build makes a million of them. */
const entry = (
  routeId: string,
  on: string,
  kind: RouteEntryKind,
  summary: () => string,
  companyId: string | undefined,
  gateOn?: string,
  gateCompany?: string,
  reach?: MilestoneStage,
): EntryCandidate => ({ routeId, on, kind, companyId, summary, gateOn, gateCompany, reach });

/** The entry a candidate of the fact at `factIndex` shows (a page renders a hundred of them). */
export const entryOf = (candidate: EntryCandidate, eventId: string): RouteEntry => {
  const { on, kind, companyId } = candidate;
  return companyId !== undefined ? { on, kind, eventId, companyId, summary: candidate.summary() } : { on, kind, eventId, summary: candidate.summary() };
};

/** The string `dayKey` read. */
export const dayOfKey = (key: number): string => {
  if (key === 0) return '';
  const value = key - 1;
  const year = Math.floor(value / 512);
  const month = Math.floor((value % 512) / 32);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(value % 32).padStart(2, '0')}`;
};

const NONE = -1;

/** Typed-array columns that grow by half again when full. */
const grown = <T extends Int32Array | Float64Array | Uint8Array>(array: T, size: number): T => {
  const next = new (array.constructor as new (length: number) => T)(size);
  next.set(array.subarray(0, Math.min(array.length, size)));
  return next;
};
const nextCapacity = (size: number): number => Math.max(256, Math.ceil(size * 1.5));

/**
 * Every entry version of the index, one row each. A version is valid for knownAt in [from, until) and
 * counts when its gates hold at the cut; `stream`, `factIndex`, `facts` and `amendments` name the reading
 * it was made from, to render it again.
 */
export class EntryVersions {
  size = 0;
  on = new Int32Array(0);
  position = new Float64Array(0);
  from = new Float64Array(0);
  until = new Float64Array(0);
  /** dayKey of the gate, NONE without one. */
  gateOn = new Int32Array(0);
  /** Company number (see `RouteIndex.companyId`), NONE without a gate. */
  gateCompany = new Int32Array(0);
  kind = new Uint8Array(0);
  /** MILESTONE_STAGES index, NONE_STAGE when the entry reaches none. */
  reach = new Uint8Array(0);
  /** Route number (see `RouteIndex.routeList`). */
  route = new Int32Array(0);
  stream = new Int32Array(0);
  factIndex = new Int32Array(0);
  facts = new Int32Array(0);
  amendments = new Int32Array(0);
  /** The next open version of the same stream (a linked list per stream), NONE at its end. */
  nextOpen = new Int32Array(0);

  add(): number {
    if (this.size === this.on.length) this.resize(nextCapacity(this.size));
    return this.size++;
  }

  /**
   * Makes room for `rows` at once: a build knows about how many it needs, and growing a hundred
   * megabytes step by step costs full garbage collections of the whole state.
   */
  reserve(rows: number): void {
    if (rows > this.on.length) this.resize(rows);
  }

  /** Drops the spare room a reservation left when it is much (a copy is not free either). */
  trim(): void {
    if (this.size < this.on.length * 0.75) this.resize(this.size);
  }

  private resize(capacity: number): void {
    this.on = grown(this.on, capacity);
    this.position = grown(this.position, capacity);
    this.from = grown(this.from, capacity);
    this.until = grown(this.until, capacity);
    this.gateOn = grown(this.gateOn, capacity);
    this.gateCompany = grown(this.gateCompany, capacity);
    this.kind = grown(this.kind, capacity);
    this.reach = grown(this.reach, capacity);
    this.route = grown(this.route, capacity);
    this.stream = grown(this.stream, capacity);
    this.factIndex = grown(this.factIndex, capacity);
    this.facts = grown(this.facts, capacity);
    this.amendments = grown(this.amendments, capacity);
    this.nextOpen = grown(this.nextOpen, capacity);
  }
}
const NONE_STAGE = 255;

/** Version numbers kept sorted by (date, position); additions wait in `tail` until the next query sorts them in. */
export class SortedVersions {
  private items: Int32Array<ArrayBuffer> = new Int32Array(0);
  private tail: number[] = [];

  constructor(private readonly versions: EntryVersions) {}

  add(version: number): void {
    this.tail.push(version);
  }

  sorted(): Int32Array {
    if (this.tail.length > 0) {
      const { on, position } = this.versions;
      const tail = this.tail.sort((a, b) => on[a] - on[b] || position[a] - position[b]);
      this.tail = [];
      this.items = merge(this.items, tail, on, position);
    }
    return this.items;
  }

  /** Keeps only the versions `keep` accepts. */
  filter(keep: (version: number) => boolean): void {
    this.items = this.items.filter(keep);
    this.tail = this.tail.filter(keep);
  }

  /** Takes the versions a build made at once, sorted here (those made since wait in the tail). */
  fill(versions: Int32Array<ArrayBuffer>): void {
    this.items = sortByDateAndPosition(versions, this.versions.on, this.versions.position);
  }
}

/**
 * Sorts version numbers by (date, position): counted into one bucket per day, then each bucket (a few
 * dozen versions) by position. A comparison sort of a route's hundred thousand versions takes seconds.
 */
const sortByDateAndPosition = (versions: Int32Array<ArrayBuffer>, on: Int32Array, position: Float64Array): Int32Array<ArrayBuffer> => {
  if (versions.length === 0) return versions;
  let first = on[versions[0]];
  let last = first;
  for (const version of versions) {
    if (on[version] < first) first = on[version];
    if (on[version] > last) last = on[version];
  }
  const byDateAndPosition = (a: number, b: number) => on[a] - on[b] || position[a] - position[b];
  // Dates far apart (a typo'd year) would make the buckets outnumber the versions.
  if (last - first > 4 * versions.length + 65_536) return versions.sort(byDateAndPosition);
  const starts = new Int32Array(last - first + 2);
  for (const version of versions) starts[on[version] - first + 1]++;
  for (let day = 1; day < starts.length; day++) starts[day] += starts[day - 1];
  const sorted = new Int32Array(versions.length);
  const next = starts.slice();
  for (const version of versions) sorted[next[on[version] - first]++] = version;
  for (let day = 0; day + 1 < starts.length; day++) {
    const start = starts[day];
    const end = starts[day + 1];
    if (end - start > 32) sorted.subarray(start, end).sort(byDateAndPosition);
    else {
      for (let i = start + 1; i < end; i++) {
        const version = sorted[i];
        let j = i - 1;
        while (j >= start && position[sorted[j]] > position[version]) {
          sorted[j + 1] = sorted[j];
          j--;
        }
        sorted[j + 1] = version;
      }
    }
  }
  return sorted;
};

const merge = (left: Int32Array, right: number[], on: Int32Array, position: Float64Array): Int32Array<ArrayBuffer> => {
  const out = new Int32Array(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length) {
    const a = left[i];
    const b = right[j];
    out[k++] = on[a] < on[b] || (on[a] === on[b] && position[a] <= position[b]) ? left[i++] : right[j++];
  }
  while (i < left.length) out[k++] = left[i++];
  while (j < right.length) out[k++] = right[j++];
  return out;
};

/**
 * A route's capacity as signed steps: at record time `time`, from day `day` on, operational and pipeline
 * GWh change by the deltas. The route's capacity at (asOf, K) is the sum of the steps with time ≤ K and
 * day ≤ asOf; a plant's new reading adds the difference to its previous one at its record time.
 */
export class CapacitySteps {
  size = 0;
  times = new Float64Array(0);
  days = new Int32Array(0);
  operational = new Float64Array(0);
  pipeline = new Float64Array(0);
  owners = new Int32Array(0);
  maxTime = Number.NEGATIVE_INFINITY;
  /**
   * Totals of every step per day, for knownAt at or after the last step (the usual "as we know it now"):
   * made on the first such query, then kept current by `push`.
   */
  private totals?: { slotOfDay: Map<number, number>; days: number[]; operational: number[]; pipeline: number[] };

  push(time: number, day: number, operational: number, pipeline: number, owner: number): void {
    if (this.size === this.times.length) this.resize(nextCapacity(this.size));
    const i = this.size++;
    this.times[i] = time;
    this.days[i] = day;
    this.operational[i] = operational;
    this.pipeline[i] = pipeline;
    this.owners[i] = owner;
    if (time > this.maxTime) this.maxTime = time;
    if (this.totals) addToTotals(this.totals, day, operational, pipeline);
  }

  /** Keeps only the steps of owners `keep` accepts (compacting in place: a step only ever moves down). */
  filter(keep: (owner: number) => boolean): void {
    const kept = { times: this.times, days: this.days, operational: this.operational, pipeline: this.pipeline, owners: this.owners, size: this.size };
    this.size = 0;
    this.maxTime = Number.NEGATIVE_INFINITY;
    this.totals = undefined;
    for (let i = 0; i < kept.size; i++) if (keep(kept.owners[i])) this.push(kept.times[i], kept.days[i], kept.operational[i], kept.pipeline[i], kept.owners[i]);
  }

  trim(): void {
    this.resize(this.size);
  }

  at(asOf: number, knownAtMs: number): { operationalGwh: number; pipelineGwh: number } {
    let operationalGwh = 0;
    let pipelineGwh = 0;
    if (knownAtMs >= this.maxTime) {
      const totals = (this.totals ??= this.sumByDay());
      for (let slot = 0; slot < totals.days.length; slot++) {
        if (totals.days[slot] <= asOf) {
          operationalGwh += totals.operational[slot];
          pipelineGwh += totals.pipeline[slot];
        }
      }
      return { operationalGwh, pipelineGwh };
    }
    const { times, days, operational, pipeline } = this;
    for (let i = 0; i < this.size; i++) {
      if (times[i] <= knownAtMs && days[i] <= asOf) {
        operationalGwh += operational[i];
        pipelineGwh += pipeline[i];
      }
    }
    return { operationalGwh, pipelineGwh };
  }

  private sumByDay(): NonNullable<CapacitySteps['totals']> {
    const totals = { slotOfDay: new Map<number, number>(), days: [], operational: [], pipeline: [] };
    for (let i = 0; i < this.size; i++) addToTotals(totals, this.days[i], this.operational[i], this.pipeline[i]);
    return totals;
  }

  private resize(capacity: number): void {
    this.times = grown(this.times, capacity);
    this.days = grown(this.days, capacity);
    this.operational = grown(this.operational, capacity);
    this.pipeline = grown(this.pipeline, capacity);
    this.owners = grown(this.owners, capacity);
  }
}

const addToTotals = (
  totals: { slotOfDay: Map<number, number>; days: number[]; operational: number[]; pipeline: number[] },
  day: number,
  operational: number,
  pipeline: number,
): void => {
  let slot = totals.slotOfDay.get(day);
  if (slot === undefined) {
    totals.slotOfDay.set(day, (slot = totals.days.length));
    totals.days.push(day);
    totals.operational.push(0);
    totals.pipeline.push(0);
  }
  totals.operational[slot] += operational;
  totals.pipeline[slot] += pipeline;
};

export class RouteIndexOfRoute {
  readonly entries: SortedVersions;
  /** Per MILESTONE_STAGES index, the versions reaching that stage. */
  readonly reaches: SortedVersions[];
  readonly capacity = new CapacitySteps();

  constructor(
    versions: EntryVersions,
    readonly no: number,
  ) {
    this.entries = new SortedVersions(versions);
    this.reaches = MILESTONE_STAGES.map(() => new SortedVersions(versions));
  }

  /** Sorts in the versions a build made, given by number, but those of streams that left. */
  fill(entries: Int32Array<ArrayBuffer>, reaches: Int32Array<ArrayBuffer>[], left: Uint8Array, streamOf: Int32Array): void {
    const stayed = (versions: Int32Array<ArrayBuffer>) => versions.filter((version) => left[streamOf[version]] === 0);
    this.entries.fill(stayed(entries));
    reaches.forEach((versions, stage) => this.reaches[stage].fill(stayed(versions)));
    this.capacity.trim();
    this.capacity.at(0, Number.POSITIVE_INFINITY);
  }
}

const PLANT_TYPES: ReadonlySet<string> = new Set([
  'CapacityAnnounced',
  'PlantConstructionStarted',
  'PlantCommissioned',
  'PlantCapacityRevised',
  'PlantSuspended',
  'PlantResumed',
  'PlantCancelled',
]);
const ENTRY_TYPES: ReadonlySet<string> = new Set([...PLANT_TYPES, 'FinancingRoundClosed', 'StandardRegistered', 'StandardStageChanged', 'TechnologyMilestoneReached']);
/** Facts whose reading changes the entries of other facts of their stream. */
const CONTEXT_TYPES: ReadonlySet<string> = new Set(['CapacityAnnounced', 'StandardRegistered']);

/** Whether a build slice that has taken `taken` streams or items is over (the clock is read every 64; without a budget, after each). */
const timeUp = (taken: number, deadline: number, budgetMs: number): boolean => (budgetMs <= 0 || taken % 64 === 0) && performance.now() >= deadline;

/**
 * Per stream (by number): its timeline, the head of its open versions, how many announcements it has,
 * whether it left the index, and the plant reading whose capacity steps are in the index.
 */
class StreamTable {
  readonly numbers = new Map<string, number>();
  readonly timelines: EntityTimeline[] = [];
  firstOpen = new Int32Array(0);
  announcements = new Int32Array(0);
  left = new Uint8Array(0);
  /** 1 when the stream's plant steps are in the index, made from the reading plantFacts/plantAmendments. */
  planted = new Uint8Array(0);
  plantFacts = new Int32Array(0);
  plantAmendments = new Int32Array(0);
  /** Position of the last fact or amendment taken (what `apply` queued before the build took the stream is skipped). */
  takenThrough = new Float64Array(0);

  numberOf(timeline: EntityTimeline): number {
    let no = this.numbers.get(timeline.streamId);
    if (no !== undefined) return no;
    no = this.timelines.length;
    if (no === this.firstOpen.length) {
      const capacity = nextCapacity(no);
      this.firstOpen = grown(this.firstOpen, capacity);
      this.announcements = grown(this.announcements, capacity);
      this.left = grown(this.left, capacity);
      this.planted = grown(this.planted, capacity);
      this.plantFacts = grown(this.plantFacts, capacity);
      this.plantAmendments = grown(this.plantAmendments, capacity);
      this.takenThrough = grown(this.takenThrough, capacity);
    }
    this.numbers.set(timeline.streamId, no);
    this.timelines.push(timeline);
    this.firstOpen[no] = NONE;
    return no;
  }
}

interface Step {
  day: number;
  operational: number;
  pipeline: number;
}

interface PlantSteps {
  routeId: string;
  companyId: string;
  steps: Step[];
  /** Where the fold ended, so the next reading (one later fact) extends it instead of folding again. */
  plant: PlantAt;
  lastDay: string;
  operational: number;
  pipeline: number;
  /** The buckets before the facts of `lastDay`. */
  operationalBefore: number;
  pipelineBefore: number;
}

/** Rendered entries a route index keeps (a page shows up to a thousand; an entry takes about 200 bytes). */
const RENDERED_KEPT = 100_000;

export class RouteIndex {
  /** Facts and amendments applied since the index last caught up, in log order (`apply` queues them). */
  pendingStreams: string[] = [];
  pendingItems: (TimelineFact | TimelineAmendment)[] = [];
  /** How many queued items are taken already (the lists are cut only once all are). */
  private pendingTaken = 0;
  readonly versions = new EntryVersions();
  readonly routes = new Map<string, RouteIndexOfRoute>();
  /** The routes by number (`EntryVersions.route`). */
  private readonly routeList: RouteIndexOfRoute[] = [];
  /** Streams answered by the straightforward computation (see the module comment). */
  readonly outside = new Set<string>();
  /** Company ids by number, for `EntryVersions.gateCompany`. */
  readonly companies: string[] = [];
  private readonly companyNumbers = new Map<string, number>();
  private readonly streams = new StreamTable();
  /** Streams left since the routes last dropped the versions and steps of left streams. */
  private leftSinceFilter = false;
  /** The last plant steps computed, as the next reading of the same plant starts from them. */
  private lastPlant?: { stream: number; facts: number; amendments: number; steps: PlantSteps | undefined };
  private readonly settled = new Map<string, { timeline?: EntityTimeline; facts?: number; amendments?: number; since?: number }>();
  /** The build: the entities to take, then what apply queued meanwhile (but what the first part took). */
  private building?: Iterator<EntityTimeline>;
  private isReady = false;
  private listsMade = false;
  private filling?: ReturnType<RouteIndex['listsByRoute']>;
  private readonly renderedEntries = new Map<number, RouteEntry>();

  constructor(private readonly state: ReadModelState) {
    this.building = state.entities.values();
    // About one version per fact or amendment applied (the record clock has one entry each; some give none, a few several).
    this.versions.reserve(state.clock.positions.length);
  }

  get ready(): boolean {
    return this.isReady;
  }

  /**
   * Builds for about `budgetMs` (at least one stream or queued item); true once the index is ready.
   * Events applied meanwhile are queued by `apply` and taken after the entities.
   */
  step(budgetMs: number): boolean {
    if (this.isReady) return true;
    const deadline = performance.now() + budgetMs;
    while (this.building) {
      const next = this.building.next();
      if (next.done) this.building = undefined;
      else this.takeStream(next.value);
      // A stream may hold thousands of facts (a route's milestones): the clock is read after each.
      if (performance.now() >= deadline) return false;
    }
    this.catchUp(deadline - performance.now());
    if (this.pendingTaken < this.pendingStreams.length) return false;
    // Then each route sorts its versions, one route a slice (at a million events one takes tens of ms).
    if (!this.filling) {
      this.filling = this.listsByRoute();
      if (performance.now() >= deadline) return false;
    }
    // Routes first seen after the lists were made have all their versions in their tails already.
    const { lists } = this.filling;
    while (this.filling.next < lists.length) {
      const no = this.filling.next++;
      this.routeList[no].fill(lists[no].entries, lists[no].reaches, this.streams.left, this.versions.stream);
      if (no + 1 < lists.length && timeUp(0, deadline, budgetMs)) return false;
    }
    this.filling = undefined;
    this.isReady = true;
    return true;
  }

  /**
   * The versions made so far in one list per route and per stage; versions made from now on go straight
   * to the routes (their `add`).
   */
  private listsByRoute(): { lists: { entries: Int32Array<ArrayBuffer>; reaches: Int32Array<ArrayBuffer>[] }[]; next: number } {
    this.versions.trim();
    const { size, route, reach } = this.versions;
    const stages = MILESTONE_STAGES.length;
    const counts = new Int32Array(this.routeList.length * (stages + 1));
    for (let version = 0; version < size; version++) {
      counts[route[version] * (stages + 1)]++;
      if (reach[version] !== NONE_STAGE) counts[route[version] * (stages + 1) + 1 + reach[version]]++;
    }
    const lists = Array.from(counts, (count) => new Int32Array(count));
    const filled = new Int32Array(counts.length);
    for (let version = 0; version < size; version++) {
      const at = route[version] * (stages + 1);
      lists[at][filled[at]++] = version;
      if (reach[version] !== NONE_STAGE) lists[at + 1 + reach[version]][filled[at + 1 + reach[version]]++] = version;
    }
    this.listsMade = true;
    return {
      lists: this.routeList.map((_, no) => ({ entries: lists[no * (stages + 1)], reaches: lists.slice(no * (stages + 1) + 1, (no + 1) * (stages + 1)) })),
      next: 0,
    };
  }

  /** Takes what `apply` queued (for about `budgetMs`, when given), then drops what left streams had indexed. */
  catchUp(budgetMs = Number.POSITIVE_INFINITY): void {
    const deadline = performance.now() + budgetMs;
    const streams = this.pendingStreams;
    const items = this.pendingItems;
    let i = this.pendingTaken;
    while (i < streams.length) {
      const timeline = this.state.entities.get(streams[i]);
      if (timeline) this.take(timeline, items[i]);
      i++;
      if (timeUp(i, deadline, budgetMs)) break;
    }
    this.pendingTaken = i;
    if (i === streams.length && i > 0) {
      this.pendingStreams = [];
      this.pendingItems = [];
      this.pendingTaken = 0;
    }
    if (this.leftSinceFilter) this.dropLeftStreams();
  }

  /**
   * The entry of a version, rendered by `render` the first time only: a version's reading is fixed, so is
   * its entry. At most RENDERED_KEPT are kept (then they are dropped, all at once), so a scan through every
   * page does not keep a million entries. Answers share the entries: they are not to be changed.
   */
  rendered(version: number, render: () => RouteEntry): RouteEntry {
    let entry = this.renderedEntries.get(version);
    if (entry === undefined) {
      if (this.renderedEntries.size >= RENDERED_KEPT) this.renderedEntries.clear();
      this.renderedEntries.set(version, (entry = render()));
    }
    return entry;
  }

  /** The timeline of a stream by its number (`EntryVersions.stream`). */
  timelineOf(stream: number): EntityTimeline {
    return this.streams.timelines[stream];
  }

  route(routeId: string): RouteIndexOfRoute {
    let route = this.routes.get(routeId);
    if (!route) {
      this.routes.set(routeId, (route = new RouteIndexOfRoute(this.versions, this.routeList.length)));
      this.routeList.push(route);
    }
    return route;
  }

  /** Takes the facts and amendments of a stream at positions ≤ `through`, in stream order. */
  /** Takes every fact and amendment of a stream, in stream order. */
  private takeStream(timeline: EntityTimeline): void {
    const { facts, amendments } = timeline;
    let i = 0;
    let j = 0;
    for (;;) {
      const fact = i < facts.length ? facts[i] : undefined;
      const amendment = j < amendments.length ? amendments[j] : undefined;
      if (fact && (!amendment || fact.position < amendment.position)) {
        this.take(timeline, fact, i + 1, j);
        i++;
      } else if (amendment) {
        this.take(timeline, amendment, i, j + 1);
        j++;
      } else return;
    }
  }

  /** Takes one fact or amendment, with the reading of its stream it completes (counted when not given). */
  private take(
    timeline: EntityTimeline,
    item: TimelineFact | TimelineAmendment,
    facts = countThrough(timeline.facts, item.position),
    amendments = countThrough(timeline.amendments, item.position),
  ): void {
    const streams = this.streams;
    const stream = streams.numberOf(timeline);
    if (item.position <= streams.takenThrough[stream]) return;
    streams.takenThrough[stream] = item.position;
    if (streams.left[stream] === 1) return;
    const reading: Reading = { timeline, facts, amendments };
    const time = item.recordedMs;
    const isFact = 'type' in item;
    let factIndex: number;
    if (isFact) {
      if (!ENTRY_TYPES.has(item.type)) return;
      factIndex = reading.facts - 1;
      if (item.type === 'CapacityAnnounced' && ++streams.announcements[stream] > 1) return this.leave(stream);
    } else {
      factIndex = findFact(timeline, item.targetEventId, reading.facts);
      if (factIndex < 0) return;
      const target = timeline.facts[factIndex];
      if (target.type === 'CompanyRegistered' && item.kind === 'retraction') return this.companyUnsettled(target);
      if (!ENTRY_TYPES.has(target.type)) return;
    }
    const fact = timeline.facts[factIndex];
    if (CONTEXT_TYPES.has(fact.type)) {
      this.close(stream, NONE, time);
      for (let i = 0; i < reading.facts; i++) if (!this.openEntries(stream, reading, i, time)) return;
    } else {
      // A new fact has no versions yet; an amendment closes those of the fact it amends.
      if (!isFact) this.close(stream, factIndex, time);
      if (!this.openEntries(stream, reading, factIndex, time)) return;
    }
    if (PLANT_TYPES.has(fact.type)) this.replant(stream, reading, time);
  }

  /** Closes at `time` the stream's open versions of the fact at `factIndex` (of every fact with NONE). */
  private close(stream: number, factIndex: number, time: number): void {
    const { nextOpen, until } = this.versions;
    const factIndices = this.versions.factIndex;
    let previous = NONE;
    for (let version = this.streams.firstOpen[stream]; version !== NONE; ) {
      const next = nextOpen[version];
      if (factIndex === NONE || factIndices[version] === factIndex) {
        until[version] = time;
        if (previous === NONE) this.streams.firstOpen[stream] = next;
        else nextOpen[previous] = next;
      } else previous = version;
      version = next;
    }
  }

  /** Opens a version for each entry of the fact at the reading; false when the stream had to leave. */
  private openEntries(stream: number, reading: Reading, factIndex: number, time: number): boolean {
    const position = reading.timeline.facts[factIndex].position;
    for (const candidate of candidatesOf(reading, factIndex)) {
      const on = dayKey(candidate.on);
      const gateOn = candidate.gateOn === undefined ? NONE : dayKey(candidate.gateOn);
      if (on === NOT_A_DAY || (candidate.gateOn !== undefined && gateOn === NOT_A_DAY)) {
        this.leave(stream);
        return false;
      }
      const versions = this.versions;
      const version = versions.add();
      versions.on[version] = on;
      versions.position[version] = position;
      versions.from[version] = time;
      versions.until[version] = Number.POSITIVE_INFINITY;
      versions.gateOn[version] = gateOn;
      versions.gateCompany[version] = candidate.gateCompany === undefined ? NONE : this.companyNumber(candidate.gateCompany);
      versions.kind[version] = ROUTE_ENTRY_KINDS.indexOf(candidate.kind);
      const reach = candidate.reach === undefined ? -1 : MILESTONE_STAGES.indexOf(candidate.reach);
      versions.reach[version] = reach < 0 ? NONE_STAGE : reach;
      const route = this.route(candidate.routeId);
      versions.route[version] = route.no;
      versions.stream[version] = stream;
      versions.factIndex[version] = factIndex;
      versions.facts[version] = reading.facts;
      versions.amendments[version] = reading.amendments;
      versions.nextOpen[version] = this.streams.firstOpen[stream];
      this.streams.firstOpen[stream] = version;
      // During the build, the routes take their versions all at once at its end (`listsByRoute`).
      if (this.listsMade) {
        route.entries.add(version);
        if (reach >= 0) route.reaches[reach].add(version);
      }
    }
    return true;
  }

  private companyNumber(companyId: string): number {
    let no = this.companyNumbers.get(companyId);
    if (no === undefined) {
      this.companyNumbers.set(companyId, (no = this.companies.length));
      this.companies.push(companyId);
    }
    return no;
  }

  /**
   * Moves the plant's capacity steps to those of this reading: where both readings are of one route, only
   * the days whose steps differ get a step (at the same record time: no gap in between).
   */
  private replant(stream: number, reading: Reading, time: number): void {
    const streams = this.streams;
    const previous = streams.planted[stream] === 0 ? undefined : this.stepsAt(stream, streams.plantFacts[stream], streams.plantAmendments[stream]);
    const next = this.stepsAt(stream, reading.facts, reading.amendments);
    if (next && (next.steps.some((step) => step.day === NOT_A_DAY) || !this.companySettled(next.companyId, time))) return this.leave(stream);
    if (previous && next && previous.routeId === next.routeId) {
      pushDifference(this.route(next.routeId).capacity, time, stream, previous.steps, next.steps);
    } else {
      if (previous) pushDifference(this.route(previous.routeId).capacity, time, stream, previous.steps, []);
      if (next) pushDifference(this.route(next.routeId).capacity, time, stream, [], next.steps);
    }
    streams.planted[stream] = next ? 1 : 0;
    streams.plantFacts[stream] = reading.facts;
    streams.plantAmendments[stream] = reading.amendments;
  }

  private stepsAt(stream: number, facts: number, amendments: number): PlantSteps | undefined {
    const last = this.lastPlant;
    const timeline = this.streams.timelines[stream];
    if (last && last.stream === stream && last.amendments === amendments) {
      if (last.facts === facts) return last.steps;
      const extended = last.steps && last.facts + 1 === facts ? extendSteps(last.steps, timeline.facts[facts - 1]) : undefined;
      if (extended) {
        this.lastPlant = { stream, facts, amendments, steps: extended };
        return extended;
      }
    }
    const steps = plantSteps({ timeline, facts, amendments });
    this.lastPlant = { stream, facts, amendments, steps };
    return steps;
  }

  /** Hands a stream to the straightforward computation, for every knownAt. */
  private leave(stream: number): void {
    this.streams.left[stream] = 1;
    this.outside.add(this.streams.timelines[stream].streamId);
    this.leftSinceFilter = true;
  }

  private dropLeftStreams(): void {
    const { left } = this.streams;
    const streamOf = this.versions.stream;
    const keep = (version: number) => left[streamOf[version]] === 0;
    for (const route of this.routes.values()) {
      route.entries.filter(keep);
      for (const reaches of route.reaches) reaches.filter(keep);
      route.capacity.filter((owner) => left[owner] === 0);
    }
    this.leftSinceFilter = false;
  }

  /** Whether the company's registration is known from `fromMs` on for good (see `settledSince`). */
  private companySettled(companyId: string, fromMs: number): boolean {
    let known = this.settled.get(companyId);
    // Valid while the company's stream has not grown (a stream's timeline is one object for good).
    if (!known?.timeline || known.facts !== known.timeline.facts.length || known.amendments !== known.timeline.amendments.length) {
      const timeline = this.state.entities.get(streamIds.company(companyId));
      known = { timeline, facts: timeline?.facts.length, amendments: timeline?.amendments.length, since: settledSince(timeline) };
      this.settled.set(companyId, known);
    }
    return known.since !== undefined && known.since <= fromMs;
  }

  private companyUnsettled(registration: TimelineFact): void {
    const companyId = (registration.data as { companyId?: unknown }).companyId;
    if (typeof companyId !== 'string') return;
    for (const streamId of streamsTagged(this.state, tag.plantsOfCompany(companyId))) {
      const timeline = this.state.entities.get(streamId);
      if (timeline) this.leave(this.streams.numberOf(timeline));
    }
  }
}

/** Pushes `next − previous` (each sorted by day, one step per day) as steps at `time`. */
const pushDifference = (capacity: CapacitySteps, time: number, owner: number, previous: Step[], next: Step[]): void => {
  let i = 0;
  let j = 0;
  while (i < previous.length || j < next.length) {
    const before = i < previous.length ? previous[i] : undefined;
    const after = j < next.length ? next[j] : undefined;
    if (before && (!after || before.day < after.day)) {
      capacity.push(time, before.day, -before.operational, -before.pipeline, owner);
      i++;
    } else if (after && (!before || after.day < before.day)) {
      capacity.push(time, after.day, after.operational, after.pipeline, owner);
      j++;
    } else if (before && after) {
      const operational = after.operational - before.operational;
      const pipeline = after.pipeline - before.pipeline;
      if (operational !== 0 || pipeline !== 0) capacity.push(time, after.day, operational, pipeline, owner);
      i++;
      j++;
    }
  }
};

const countThrough = (items: readonly { position: number }[], position: number): number => countAtOrBelow(items, (item) => item.position, position);

const findFact = (timeline: EntityTimeline, eventId: string, known: number): number => {
  for (let i = known - 1; i >= 0; i--) if (timeline.facts[i].eventId === eventId) return i;
  return -1;
};

/**
 * When the company's first registration was recorded, undefined when it has none or one was ever
 * retracted: a plant version opened at or after that time needs no company gate.
 */
const settledSince = (timeline: EntityTimeline | undefined): number | undefined => {
  const registration = timeline?.facts.find((fact) => fact.type === 'CompanyRegistered');
  if (!timeline || !registration) return undefined;
  // An amendment lives in its target's stream: the target is one of this timeline's facts, found here
  // without the event locator (which a build of this index must not wait for).
  const retracted = timeline.amendments.some(
    (amendment) => amendment.kind === 'retraction' && timeline.facts[findFact(timeline, amendment.targetEventId, timeline.facts.length)]?.type === 'CompanyRegistered',
  );
  return retracted ? undefined : registration.recordedMs;
};

/**
 * The plant's contribution to its route as a function of asOf at one reading: the facts folded in
 * effective-date order (as `plantAt` does), one step per date where the buckets change. Undefined when
 * the reading has no live announcement; a step's day is NOT_A_DAY when a date is not YYYY-MM-DD.
 */
const plantSteps = (reading: Reading): PlantSteps | undefined => {
  const facts: { event: DomainEvent; on: string | undefined; position: number }[] = [];
  let announcement: DomainEvent | undefined;
  for (let i = 0; i < reading.facts; i++) {
    const fact = reading.timeline.facts[i];
    const event = eventAt(reading, fact);
    if (!event) continue;
    if (event.type === 'CapacityAnnounced') announcement = event;
    facts.push({ event, on: dateOf(event), position: fact.position });
  }
  if (announcement?.type !== 'CapacityAnnounced') return undefined;
  facts.sort((a, b) => {
    const left = a.on ?? '';
    const right = b.on ?? '';
    return left !== right ? (left < right ? -1 : 1) : a.position - b.position;
  });
  const steps: Step[] = [];
  let plant: PlantAt | undefined;
  let operational = 0;
  let pipeline = 0;
  let operationalBefore = 0;
  let pipelineBefore = 0;
  for (let i = 0; i < facts.length; i++) {
    plant = foldPlant(plant, facts[i].event, facts[i].on);
    const day = facts[i].on ?? '';
    if (i + 1 < facts.length && (facts[i + 1].on ?? '') === day) continue;
    operationalBefore = operational;
    pipelineBefore = pipeline;
    const buckets = plant ? bucketsOfPlant(plant) : { operationalGwh: 0, pipelineGwh: 0 };
    if (buckets.operationalGwh !== operational || buckets.pipelineGwh !== pipeline) {
      steps.push({ day: dayKey(day), operational: buckets.operationalGwh - operational, pipeline: buckets.pipelineGwh - pipeline });
      operational = buckets.operationalGwh;
      pipeline = buckets.pipelineGwh;
    }
  }
  // The announcement is live, so the fold ends with a plant (facts dated before it fold to nothing).
  return {
    routeId: announcement.data.technologyRoute,
    companyId: announcement.data.companyId,
    steps,
    plant: plant!,
    lastDay: facts[facts.length - 1].on ?? '',
    operational,
    pipeline,
    operationalBefore,
    pipelineBefore,
  };
};

/**
 * `plantSteps` of the reading with one more fact and no more amendments, without folding again, when the
 * fact sorts last (dated on or after every other; a later position breaks the tie) and is no announcement.
 * Undefined when it cannot (the caller folds from the start). Most plants' facts come in date order.
 */
const extendSteps = (previous: PlantSteps, fact: TimelineFact): PlantSteps | undefined => {
  if (fact.type === 'CapacityAnnounced') return undefined;
  const event = fact as DomainEvent;
  const on = dateOf(event);
  const day = on ?? '';
  if (day < previous.lastDay) return undefined;
  const plant = foldPlant({ ...previous.plant }, event, on)!;
  const sameDay = day === previous.lastDay;
  // The step of the last day is made again from the buckets before it, as the full fold does.
  const operational = sameDay ? previous.operationalBefore : previous.operational;
  const pipeline = sameDay ? previous.pipelineBefore : previous.pipeline;
  const key = dayKey(day);
  const steps = previous.steps.slice();
  if (sameDay && steps.length > 0 && steps[steps.length - 1].day === key) steps.pop();
  const buckets = bucketsOfPlant(plant);
  if (buckets.operationalGwh !== operational || buckets.pipelineGwh !== pipeline) {
    steps.push({ day: key, operational: buckets.operationalGwh - operational, pipeline: buckets.pipelineGwh - pipeline });
  }
  return Object.assign({}, previous, {
    steps,
    plant,
    lastDay: day,
    operational: buckets.operationalGwh,
    pipeline: buckets.pipelineGwh,
    operationalBefore: operational,
    pipelineBefore: pipeline,
  });
};

/**
 * The state's route index, caught up with everything applied since it last answered; undefined while a
 * background build (`indexRoutesInBackground`) is under way. Without one, it is built here, at once: the
 * way for a replay or a test, which have no requests to keep answering meanwhile.
 */
export const routeIndexOf = (state: ReadModelState): RouteIndex | undefined => {
  let index = state.routeIndex as RouteIndex | undefined;
  if (!index) {
    state.routeIndex = index = new RouteIndex(state);
    index.step(Number.POSITIVE_INFINITY);
  }
  if (!index.ready) return undefined;
  index.catchUp();
  return index;
};

/** Starts building the state's route index; `step` it until it is ready. */
export const startRouteIndex = (state: ReadModelState): RouteIndex => {
  const index = new RouteIndex(state);
  state.routeIndex = index;
  return index;
};

/**
 * Builds the route index in slices of `sliceMs` between other work, right after start-up. Why not keep it
 * in `apply` from the first event: a state loaded from a checkpoint never went through `apply`, so a build
 * over the entities is needed anyway, and rebuilding projections would pay the index on every event. Why
 * not on the first route query: that query would wait seconds at a million events. Until it is ready,
 * route queries answer the straightforward way (correct, slower); events applied meanwhile are queued.
 */
export const indexRoutesInBackground = (state: ReadModelState, sliceMs = 10): SlicedBuild => {
  const index = startRouteIndex(state);
  return runInSlices((ms) => index.step(ms), sliceMs);
};
