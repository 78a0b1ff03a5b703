import { DomainEvent, MILESTONE_STAGES, MilestoneStage, effectiveDateOf, streamIds } from '@bsc/domain';
import { bucketsOfPlant } from '../company-capacity/capacity-buckets';
import { PlantAt, foldPlant } from '../company-capacity/plant-state';
import { EntityTimeline, TimelineAmendment, TimelineFact } from '../engine/fact-timeline';
import { ReadModelState, streamsTagged, tag } from '../engine/read-model-state';

/**
 * A per-route index of the technology-route timeline, so a query costs what it returns rather than what
 * the route's history holds. It is derived from the entities (never checkpointed): built on the first
 * route query, then kept current from the facts and amendments `apply` queues for it.
 *
 * Bitemporal by construction: every entry and every plant's capacity contribution is kept in versions,
 * each valid for the record times [from, until) in which its stream read that way (a stream's record
 * times never go backwards, so its knowledge at knownAt K is the prefix recorded ≤ K). A version is
 * opened when a fact or amendment of its stream is taken and closed by the next one that changes it.
 *
 * Streams the index cannot describe exactly with a per-version answer — a plant announced twice (its
 * route and company then depend on asOf), a plant whose company was registered after it or had its
 * registration retracted (the company gate then changes within a version) — are left out of it and
 * answered by the straightforward per-stream computation at query time; they are rare.
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
  entry: RouteEntry;
  /** The plant's announcement date: a plant's entries count only once the plant exists at asOf. */
  gateOn?: string;
  /** The company whose registration must be known at knownAt. */
  gateCompany?: string;
  /** The milestone stage the entry reaches (a commissioning counts as mass production). */
  reach?: MilestoneStage;
}

/** One reading of a stream: its first `facts` facts and first `amendments` amendments. */
interface Reading {
  timeline: EntityTimeline;
  facts: number;
  amendments: number;
}

interface AmendedFact {
  event: DomainEvent;
  retracted: boolean;
}

/** A fact's data with the reading's corrections merged (later ones win), and whether it is retracted. */
const amendedAt = (reading: Reading, fact: TimelineFact): AmendedFact => {
  let changes: Record<string, unknown> | undefined;
  let retracted = false;
  const { amendments } = reading.timeline;
  for (let i = 0; i < reading.amendments; i++) {
    const amendment = amendments[i];
    if (amendment.targetEventId !== fact.eventId) continue;
    if (amendment.kind === 'retraction') retracted = true;
    else changes = { ...changes, ...amendment.changes };
  }
  const data = changes ? { ...(fact.data as object), ...changes } : fact.data;
  return { event: { type: fact.type, data } as DomainEvent, retracted };
};

const firstLiveOfType = (reading: Reading, type: DomainEvent['type']): DomainEvent | undefined => {
  for (let i = 0; i < reading.facts; i++) {
    const fact = reading.timeline.facts[i];
    if (fact.type !== type) continue;
    const amended = amendedAt(reading, fact);
    if (!amended.retracted) return amended.event;
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
  const { event, retracted } = amendedAt(reading, fact);
  if (retracted) return [];
  const on = effectiveDateOf(event);
  if (on === undefined) return [];
  const entry = (routeId: string, kind: RouteEntryKind, summary: string, companyId: string | undefined, extra: Partial<EntryCandidate> = {}): EntryCandidate => ({
    routeId,
    entry: { on, kind, eventId: fact.eventId, ...(companyId !== undefined ? { companyId } : {}), summary },
    ...extra,
  });
  switch (event.type) {
    case 'CapacityAnnounced': {
      const { companyId, plannedCapacityGwh, plantId, country, technologyRoute } = event.data;
      return [
        entry(technologyRoute, 'capacity-announcement', `${companyId} announced ${plannedCapacityGwh} GWh ${technologyRoute} plant ${plantId} in ${country}`, companyId, {
          gateOn: on,
        }),
      ];
    }
    case 'PlantConstructionStarted':
    case 'PlantCommissioned': {
      const announcement = firstLiveOfType(reading, 'CapacityAnnounced');
      if (announcement?.type !== 'CapacityAnnounced') return [];
      const { plantId, country, companyId, technologyRoute } = announcement.data;
      const gateOn = effectiveDateOf(announcement);
      return event.type === 'PlantConstructionStarted'
        ? [entry(technologyRoute, 'construction-start', `construction started at ${plantId} (${country})`, companyId, { gateOn })]
        : [entry(technologyRoute, 'commissioning', `${plantId} commissioned ${event.data.capacityGwh} GWh`, companyId, { gateOn, reach: 'mass-production' })];
    }
    case 'FinancingRoundClosed': {
      const { companyId, technologyRoutes, roundLabel, roundType, amount } = event.data;
      const qualifier = amount.qualifier && amount.qualifier !== 'exact' ? `${amount.qualifier} ` : '';
      const summary = `${companyId} closed a ${roundLabel ?? roundType} round of ${qualifier}${amount.value} ${amount.currency}`;
      return distinctStrings(technologyRoutes).map((routeId) => entry(routeId, 'financing-round', summary, companyId, { gateCompany: companyId }));
    }
    case 'StandardRegistered':
    case 'StandardStageChanged': {
      const registration = firstLiveOfType(reading, 'StandardRegistered');
      if (registration?.type !== 'StandardRegistered') return [];
      const { title, jurisdiction, technologyRoutes } = registration.data;
      return distinctStrings(technologyRoutes).map((routeId) => entry(routeId, 'standard-stage', `${title} (${jurisdiction}) reached ${event.data.stage}`, undefined));
    }
    case 'TechnologyMilestoneReached':
      return [entry(event.data.technologyRoute, 'milestone', `${event.data.stage}: ${event.data.description}`, event.data.companyId, { reach: event.data.stage })];
    default:
      return [];
  }
};

/** One version of an entry: valid for knownAt in [from, until), counted when its gates hold at the cut. */
export interface EntryVersion {
  on: string;
  position: number;
  kind: RouteEntryKind;
  from: number;
  until: number;
  gateOn: string | undefined;
  gateCompany: string | undefined;
  reach: MilestoneStage | undefined;
  /** The reading it was made from, to render it again (entries are rendered only for the page returned). */
  timeline: EntityTimeline;
  factIndex: number;
  amendments: number;
  facts: number;
}

const compareVersions = (a: EntryVersion, b: EntryVersion): number => (a.on !== b.on ? (a.on < b.on ? -1 : 1) : a.position - b.position);

/** Entries kept sorted by (date, position); additions wait in `tail` until the next query sorts them in. */
class SortedVersions {
  items: EntryVersion[] = [];
  private tail: EntryVersion[] = [];

  add(version: EntryVersion): void {
    this.tail.push(version);
  }

  sorted(): EntryVersion[] {
    if (this.tail.length > 0) {
      const tail = this.tail.sort(compareVersions);
      this.tail = [];
      this.items = this.items.length === 0 ? tail : merge(this.items, tail);
    }
    return this.items;
  }

  remove(streamId: string): void {
    const keep = (version: EntryVersion) => version.timeline.streamId !== streamId;
    this.items = this.items.filter(keep);
    this.tail = this.tail.filter(keep);
  }
}

const merge = (left: EntryVersion[], right: EntryVersion[]): EntryVersion[] => {
  const out: EntryVersion[] = new Array(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length) out[k++] = compareVersions(left[i], right[j]) <= 0 ? left[i++] : right[j++];
  while (i < left.length) out[k++] = left[i++];
  while (j < right.length) out[k++] = right[j++];
  return out;
};

/**
 * A route's capacity as signed steps: at record time `time`, from day `day` on, operational and pipeline
 * GWh change by the deltas. The route's capacity at (asOf, K) is the sum of the steps with time ≤ K and
 * day ≤ asOf; a plant's new reading adds its new steps and subtracts the previous ones at its record time.
 */
class CapacitySteps {
  times: number[] = [];
  days: string[] = [];
  operational: number[] = [];
  pipeline: number[] = [];
  owners: string[] = [];
  maxTime = Number.NEGATIVE_INFINITY;
  /** Sums over every step by day, for knownAt at or after the last step (the usual "as we know it now"). */
  private byDay?: { days: string[]; operational: number[]; pipeline: number[] };

  push(time: number, day: string, operational: number, pipeline: number, owner: string): void {
    this.times.push(time);
    this.days.push(day);
    this.operational.push(operational);
    this.pipeline.push(pipeline);
    this.owners.push(owner);
    if (time > this.maxTime) this.maxTime = time;
    this.byDay = undefined;
  }

  remove(owner: string): void {
    let k = 0;
    for (let i = 0; i < this.owners.length; i++) {
      if (this.owners[i] === owner) continue;
      this.times[k] = this.times[i];
      this.days[k] = this.days[i];
      this.operational[k] = this.operational[i];
      this.pipeline[k] = this.pipeline[i];
      this.owners[k] = this.owners[i];
      k++;
    }
    for (const list of [this.times, this.days, this.operational, this.pipeline, this.owners]) list.length = k;
    this.maxTime = this.times.reduce((max, time) => Math.max(max, time), Number.NEGATIVE_INFINITY);
    this.byDay = undefined;
  }

  at(asOf: string, knownAtMs: number): { operationalGwh: number; pipelineGwh: number } {
    if (knownAtMs >= this.maxTime) {
      const byDay = (this.byDay ??= this.sumByDay());
      const count = countAtOrBefore(byDay.days, asOf);
      return count === 0 ? { operationalGwh: 0, pipelineGwh: 0 } : { operationalGwh: byDay.operational[count - 1], pipelineGwh: byDay.pipeline[count - 1] };
    }
    let operationalGwh = 0;
    let pipelineGwh = 0;
    for (let i = 0; i < this.times.length; i++) {
      if (this.times[i] <= knownAtMs && this.days[i] <= asOf) {
        operationalGwh += this.operational[i];
        pipelineGwh += this.pipeline[i];
      }
    }
    return { operationalGwh, pipelineGwh };
  }

  private sumByDay(): { days: string[]; operational: number[]; pipeline: number[] } {
    const order = this.days.map((_, i) => i).sort((a, b) => (this.days[a] < this.days[b] ? -1 : this.days[a] > this.days[b] ? 1 : 0));
    const out = { days: [] as string[], operational: [] as number[], pipeline: [] as number[] };
    let operational = 0;
    let pipeline = 0;
    for (const i of order) {
      operational += this.operational[i];
      pipeline += this.pipeline[i];
      if (out.days.at(-1) === this.days[i]) {
        out.operational[out.operational.length - 1] = operational;
        out.pipeline[out.pipeline.length - 1] = pipeline;
      } else {
        out.days.push(this.days[i]);
        out.operational.push(operational);
        out.pipeline.push(pipeline);
      }
    }
    return out;
  }
}

const countAtOrBefore = (sorted: readonly string[], value: string): number => {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return low;
};

export class RouteIndexOfRoute {
  readonly entries = new SortedVersions();
  readonly reaches = new Map<MilestoneStage, SortedVersions>(MILESTONE_STAGES.map((stage) => [stage, new SortedVersions()]));
  readonly capacity = new CapacitySteps();

  prepare(): void {
    this.entries.sorted();
    for (const reaches of this.reaches.values()) reaches.sorted();
    this.capacity.at('', Number.POSITIVE_INFINITY);
  }
}

/** The plant reading whose capacity steps are in the index (to subtract them when the plant changes). */
interface PlantReading {
  routeId: string;
  facts: number;
  amendments: number;
}

interface StreamEntries {
  open: EntryVersion[];
  announcements: number;
  plant?: PlantReading;
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

export class RouteIndex {
  /** Facts and amendments applied since the index last caught up, in log order. */
  pendingStreams: string[] = [];
  pendingItems: (TimelineFact | TimelineAmendment)[] = [];
  readonly routes = new Map<string, RouteIndexOfRoute>();
  /** Streams answered by the straightforward computation (see the module comment). */
  readonly outside = new Set<string>();
  private readonly streams = new Map<string, StreamEntries>();

  constructor(private readonly state: ReadModelState) {}

  route(routeId: string): RouteIndexOfRoute {
    let route = this.routes.get(routeId);
    if (!route) this.routes.set(routeId, (route = new RouteIndexOfRoute()));
    return route;
  }

  /** Takes everything applied since the last call. */
  catchUp(): void {
    const streams = this.pendingStreams;
    const items = this.pendingItems;
    if (streams.length === 0) return;
    this.pendingStreams = [];
    this.pendingItems = [];
    for (let i = 0; i < streams.length; i++) {
      const timeline = this.state.entities.get(streams[i]);
      if (timeline) this.take(timeline, items[i]);
    }
  }

  /** Takes every fact and amendment of a stream, in stream order (a fresh index over a whole state). */
  takeStream(timeline: EntityTimeline): void {
    const { facts, amendments } = timeline;
    let i = 0;
    let j = 0;
    while (i < facts.length || j < amendments.length) {
      if (j >= amendments.length || (i < facts.length && facts[i].position < amendments[j].position)) this.take(timeline, facts[i++]);
      else this.take(timeline, amendments[j++]);
    }
  }

  private take(timeline: EntityTimeline, item: TimelineFact | TimelineAmendment): void {
    const streamId = timeline.streamId;
    if (this.outside.has(streamId)) return;
    const reading: Reading = {
      timeline,
      facts: countThrough(timeline.facts, item.position),
      amendments: countThrough(timeline.amendments, item.position),
    };
    const time = item.recordedMs;
    let info = this.streams.get(streamId);
    let factIndex: number;
    if ('type' in item) {
      if (!ENTRY_TYPES.has(item.type)) return;
      factIndex = reading.facts - 1;
      info ??= this.open(streamId);
      if (item.type === 'CapacityAnnounced' && ++info.announcements > 1) return this.leave(streamId);
    } else {
      factIndex = findFact(timeline, item.targetEventId, reading.facts);
      if (factIndex < 0) return;
      const target = timeline.facts[factIndex];
      if (target.type === 'CompanyRegistered' && item.kind === 'retraction') return this.companyUnsettled(target);
      if (!ENTRY_TYPES.has(target.type) || !info) return;
    }
    const fact = timeline.facts[factIndex];
    if (CONTEXT_TYPES.has(fact.type)) {
      this.close(info, undefined, time);
      for (let i = 0; i < reading.facts; i++) this.openEntries(info, reading, i, time);
    } else {
      this.close(info, fact, time);
      this.openEntries(info, reading, factIndex, time);
    }
    if (PLANT_TYPES.has(fact.type)) this.replant(info, reading, time);
  }

  private open(streamId: string): StreamEntries {
    const info: StreamEntries = { open: [], announcements: 0 };
    this.streams.set(streamId, info);
    return info;
  }

  private close(info: StreamEntries, fact: TimelineFact | undefined, time: number): void {
    info.open = info.open.filter((version) => {
      if (fact !== undefined && version.timeline.facts[version.factIndex] !== fact) return true;
      version.until = time;
      return false;
    });
  }

  private openEntries(info: StreamEntries, reading: Reading, factIndex: number, time: number): void {
    for (const candidate of candidatesOf(reading, factIndex)) {
      const version: EntryVersion = {
        on: candidate.entry.on,
        position: reading.timeline.facts[factIndex].position,
        kind: candidate.entry.kind,
        from: time,
        until: Number.POSITIVE_INFINITY,
        gateOn: candidate.gateOn,
        gateCompany: candidate.gateCompany,
        reach: candidate.reach,
        timeline: reading.timeline,
        factIndex,
        amendments: reading.amendments,
        facts: reading.facts,
      };
      info.open.push(version);
      const route = this.route(candidate.routeId);
      route.entries.add(version);
      if (version.reach !== undefined) route.reaches.get(version.reach)?.add(version);
    }
  }

  /** Replaces the plant's capacity steps by those of this reading (same record time: no gap in between). */
  private replant(info: StreamEntries, reading: Reading, time: number): void {
    const streamId = reading.timeline.streamId;
    if (info.plant) {
      const previous = plantSteps({ timeline: reading.timeline, facts: info.plant.facts, amendments: info.plant.amendments });
      const capacity = this.route(info.plant.routeId).capacity;
      for (const step of previous?.steps ?? []) capacity.push(time, step.day, -step.operational, -step.pipeline, streamId);
      info.plant = undefined;
    }
    const next = plantSteps(reading);
    if (!next) return;
    if (!companySettled(this.state, next.companyId, time)) return this.leave(streamId);
    const capacity = this.route(next.routeId).capacity;
    for (const step of next.steps) capacity.push(time, step.day, step.operational, step.pipeline, streamId);
    info.plant = { routeId: next.routeId, facts: reading.facts, amendments: reading.amendments };
  }

  /** Hands a stream to the straightforward computation, for every knownAt. */
  private leave(streamId: string): void {
    this.outside.add(streamId);
    this.streams.delete(streamId);
    for (const route of this.routes.values()) {
      route.entries.remove(streamId);
      for (const reaches of route.reaches.values()) reaches.remove(streamId);
      route.capacity.remove(streamId);
    }
  }

  private companyUnsettled(registration: TimelineFact): void {
    const companyId = (registration.data as { companyId?: unknown }).companyId;
    if (typeof companyId !== 'string') return;
    for (const streamId of streamsTagged(this.state, tag.plantsOfCompany(companyId))) this.leave(streamId);
  }
}

const countThrough = (items: readonly { position: number }[], position: number): number => {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (items[mid].position <= position) low = mid + 1;
    else high = mid;
  }
  return low;
};

const findFact = (timeline: EntityTimeline, eventId: string, known: number): number => {
  for (let i = known - 1; i >= 0; i--) if (timeline.facts[i].eventId === eventId) return i;
  return -1;
};

/**
 * Whether the company's registration is known from `fromMs` on for good: recorded by then and never
 * retracted. Then a plant version of that company opened at `fromMs` needs no company gate.
 */
const companySettled = (state: ReadModelState, companyId: string, fromMs: number): boolean => {
  const timeline = state.entities.get(streamIds.company(companyId));
  if (!timeline) return false;
  const registration = timeline.facts.find((fact) => fact.type === 'CompanyRegistered');
  if (!registration || registration.recordedMs > fromMs) return false;
  const registrations = new Set(timeline.facts.filter((fact) => fact.type === 'CompanyRegistered').map((fact) => fact.eventId));
  return !timeline.amendments.some((amendment) => amendment.kind === 'retraction' && registrations.has(amendment.targetEventId));
};

interface Step {
  day: string;
  operational: number;
  pipeline: number;
}

/**
 * The plant's contribution to its route as a function of asOf at one reading: the facts folded in
 * effective-date order (as `plantAt` does), one step per date where the buckets change. Undefined when
 * the reading has no live announcement.
 */
const plantSteps = (reading: Reading): { routeId: string; companyId: string; steps: Step[] } | undefined => {
  const facts: { event: DomainEvent; on: string | undefined; position: number }[] = [];
  let announcement: DomainEvent | undefined;
  for (let i = 0; i < reading.facts; i++) {
    const fact = reading.timeline.facts[i];
    const { event, retracted } = amendedAt(reading, fact);
    if (retracted) continue;
    if (event.type === 'CapacityAnnounced') announcement = event;
    facts.push({ event, on: effectiveDateOf(event), position: fact.position });
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
  for (let i = 0; i < facts.length; i++) {
    plant = foldPlant(plant, facts[i].event, facts[i].on);
    const day = facts[i].on ?? '';
    if (i + 1 < facts.length && (facts[i + 1].on ?? '') === day) continue;
    const buckets = plant ? bucketsOfPlant(plant) : { operationalGwh: 0, pipelineGwh: 0 };
    if (buckets.operationalGwh !== operational || buckets.pipelineGwh !== pipeline) {
      steps.push({ day, operational: buckets.operationalGwh - operational, pipeline: buckets.pipelineGwh - pipeline });
      operational = buckets.operationalGwh;
      pipeline = buckets.pipelineGwh;
    }
  }
  return { routeId: announcement.data.technologyRoute, companyId: announcement.data.companyId, steps };
};

/** The state's route index, built on first use and caught up with everything applied since. */
export const routeIndexOf = (state: ReadModelState): RouteIndex => {
  let index = state.routeIndex as RouteIndex | undefined;
  if (!index) {
    index = new RouteIndex(state);
    for (const timeline of state.entities.values()) index.takeStream(timeline);
    index.catchUp();
    // Sorting here, not on the first query of each route, keeps that cost out of answers.
    for (const route of index.routes.values()) route.prepare();
    state.routeIndex = index;
  }
  index.catchUp();
  return index;
};
