import { BUILT_IN_ROUTES, MILESTONE_STAGES, MilestoneStage, RouteFamily, streamIds } from '@bsc/domain';
import { bucketsOfPlant } from '../company-capacity/capacity-buckets';
import { compareIds } from '../company-capacity/company-capacity.read-model';
import { companyAt } from '../company-capacity/company-profile';
import { plantAt } from '../company-capacity/plant-state';
import { Cut, NOT_A_DAY, dayKey, factsAt } from '../engine/fact-timeline';
import { AnswerEcho, QueryTime, answerOf, cutOf, roundQuantity } from '../engine/query-time';
import { ReadModelState, isTagged, streamsTagged, tag } from '../engine/read-model-state';
import {
  EntryVersions,
  ROUTE_ENTRY_KINDS,
  RouteEntry,
  RouteEntryKind,
  RouteIndex,
  RouteIndexOfRoute,
  candidatesOf,
  dayOfKey,
  entryOf,
  routeIndexOf,
} from './route-index';

export { ROUTE_ENTRY_KINDS, RouteEntry, RouteEntryKind, indexRoutesInBackground } from './route-index';

/** What a route has reached at asOf. `stage` is the most advanced milestone stage (a commissioning counts as mass production). */
export interface RouteSummary {
  routeId: string;
  family: RouteFamily;
  stage: MilestoneStage | null;
  firstPilotOn: string | null;
  firstMassProductionOn: string | null;
  operationalGwh: number;
  pipelineGwh: number;
}

export interface TechnologyRoutesAnswer extends AnswerEcho {
  routes: RouteSummary[];
}

export interface RouteTimelineFilters {
  /** Inclusive bounds on an entry's date. */
  from?: string;
  to?: string;
  kind?: RouteEntryKind;
}

export interface RouteTimelineAnswer extends AnswerEcho, RouteSummary {
  entries: RouteEntry[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** Built-in routes plus those registered by knownAt (a registration may set another family). */
const routeCatalogue = (state: ReadModelState, cut: Cut): Map<string, RouteFamily> => {
  const routes = new Map<string, RouteFamily>(Object.entries(BUILT_IN_ROUTES));
  for (const streamId of streamsTagged(state, tag.registeredRoutes)) {
    for (const { event } of factsAt(state.entities.get(streamId), { knownAtMs: cut.knownAtMs })) {
      if (event.type === 'TechnologyRouteRegistered') routes.set(event.data.routeId, event.data.family);
    }
  }
  return routes;
};

const stageRank = (stage: MilestoneStage): number => MILESTONE_STAGES.indexOf(stage);
const earliest = (current: string | null, candidate: string): string => (current === null || candidate < current ? candidate : current);

type Positioned = RouteEntry & { position: number };

/** One stream's part of a route at the cut, computed from its facts alone. */
interface StreamPart {
  operationalGwh: number;
  pipelineGwh: number;
  entries: Positioned[];
  reaches: [MilestoneStage, string][];
}

/**
 * Everything dated about one route in one stream at the cut, with its share of the summary. Plants,
 * rounds and milestones count only when their company (if any is named for plants and rounds) is
 * registered at knownAt, as in company capacity.
 */
const streamPartAt = (state: ReadModelState, streamId: string, routeId: string, cut: Cut & { asOf: string }): StreamPart => {
  const part: StreamPart = { operationalGwh: 0, pipelineGwh: 0, entries: [], reaches: [] };
  const companyKnown = (companyId: string): boolean => companyAt(state.entities.get(streamIds.company(companyId)), cut) !== undefined;
  const timeline = state.entities.get(streamId);
  const plant = plantAt(timeline, cut);
  const plantCounts = plant !== undefined && plant.technologyRoute === routeId && companyKnown(plant.companyId);
  if (plant && plantCounts) {
    const { operationalGwh, pipelineGwh } = bucketsOfPlant(plant);
    part.operationalGwh += operationalGwh;
    part.pipelineGwh += pipelineGwh;
  }
  const known = factsAt(timeline, { knownAtMs: cut.knownAtMs });
  const registration = known.find((fact) => fact.event.type === 'StandardRegistered')?.event;
  const standard = registration?.type === 'StandardRegistered' && registration.data.technologyRoutes.includes(routeId) ? registration.data : undefined;
  for (const { event, eventId, position, effectiveOn } of known) {
    if (effectiveOn === undefined || effectiveOn > cut.asOf) continue;
    const add = (kind: RouteEntryKind, summaryText: string, companyId?: string): void => {
      part.entries.push({ on: effectiveOn, kind, eventId, ...(companyId !== undefined ? { companyId } : {}), summary: summaryText, position });
    };
    switch (event.type) {
      case 'CapacityAnnounced':
        if (plantCounts) {
          const { companyId, plannedCapacityGwh, plantId, country } = event.data;
          add('capacity-announcement', `${companyId} announced ${plannedCapacityGwh} GWh ${routeId} plant ${plantId} in ${country}`, companyId);
        }
        break;
      case 'PlantConstructionStarted':
        if (plant && plantCounts) add('construction-start', `construction started at ${plant.plantId} (${plant.country})`, plant.companyId);
        break;
      case 'PlantCommissioned':
        if (plant && plantCounts) {
          add('commissioning', `${plant.plantId} commissioned ${event.data.capacityGwh} GWh`, plant.companyId);
          part.reaches.push(['mass-production', effectiveOn]);
        }
        break;
      case 'FinancingRoundClosed': {
        const { companyId, technologyRoutes, roundLabel, roundType, amount } = event.data;
        if (technologyRoutes.includes(routeId) && companyKnown(companyId)) {
          const qualifier = amount.qualifier && amount.qualifier !== 'exact' ? `${amount.qualifier} ` : '';
          add('financing-round', `${companyId} closed a ${roundLabel ?? roundType} round of ${qualifier}${amount.value} ${amount.currency}`, companyId);
        }
        break;
      }
      case 'StandardRegistered':
      case 'StandardStageChanged':
        if (standard) add('standard-stage', `${standard.title} (${standard.jurisdiction}) reached ${event.data.stage}`);
        break;
      case 'TechnologyMilestoneReached':
        if (event.data.technologyRoute === routeId) {
          add('milestone', `${event.data.stage}: ${event.data.description}`, event.data.companyId);
          part.reaches.push([event.data.stage, effectiveOn]);
        }
        break;
    }
  }
  return part;
};

const emptySummary = (routeId: string, family: RouteFamily): RouteSummary => ({
  routeId,
  family,
  stage: null,
  firstPilotOn: null,
  firstMassProductionOn: null,
  operationalGwh: 0,
  pipelineGwh: 0,
});

const reach = (summary: RouteSummary, stage: MilestoneStage, on: string): void => {
  if (summary.stage === null || stageRank(stage) > stageRank(summary.stage)) summary.stage = stage;
  if (stage === 'pilot') summary.firstPilotOn = earliest(summary.firstPilotOn, on);
  if (stage === 'mass-production') summary.firstMassProductionOn = earliest(summary.firstMassProductionOn, on);
};

const compareEntries = (a: Positioned, b: Positioned): number => (a.on !== b.on ? compareIds(a.on, b.on) : a.position - b.position);

/**
 * The route at the cut computed stream by stream over every stream tagged with it: the definition the
 * index must agree with (the property tests compare the two), and what it uses for the streams it leaves out.
 */
export const routeAtStraight = (state: ReadModelState, routeId: string, family: RouteFamily, cut: Cut & { asOf: string }) => {
  const summary = emptySummary(routeId, family);
  const entries: Positioned[] = [];
  for (const streamId of streamsTagged(state, tag.route(routeId))) {
    const part = streamPartAt(state, streamId, routeId, cut);
    summary.operationalGwh += part.operationalGwh;
    summary.pipelineGwh += part.pipelineGwh;
    for (const [stage, on] of part.reaches) reach(summary, stage, on);
    entries.push(...part.entries);
  }
  summary.operationalGwh = roundQuantity(summary.operationalGwh);
  summary.pipelineGwh = roundQuantity(summary.pipelineGwh);
  entries.sort(compareEntries);
  return { summary, entries: entries.map(({ position: _position, ...entry }) => entry) };
};

/** A page of entries: at most `limit`, strictly after `after` in (date, position) order. */
export interface EntryPage {
  limit: number;
  after?: EntryKey;
}

export interface EntryKey {
  on: string;
  position: number;
}

export const DEFAULT_TIMELINE_LIMIT = 100;
export const MAX_TIMELINE_LIMIT = 1000;

/** An opaque cursor for the entry after which the next page starts. */
export const encodeTimelineCursor = (key: EntryKey): string => Buffer.from(`${key.on}|${key.position}`, 'utf8').toString('base64url');

/** The entry key a cursor names, or undefined when it is not one `encodeTimelineCursor` makes. */
export const decodeTimelineCursor = (cursor: string): EntryKey | undefined => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})\|(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? { on: match[1], position: Number(match[2]) } : undefined;
};

const after = (entry: EntryKey, key: EntryKey | undefined): boolean =>
  key === undefined || entry.on > key.on || (entry.on === key.on && entry.position > key.position);

/** The route's summary and one page of its entries at the cut, from the route index plus the streams it leaves out. */
const routeAtIndexed = (
  state: ReadModelState,
  routeId: string,
  family: RouteFamily,
  cut: Cut & { asOf: string },
  filters: RouteTimelineFilters,
  page: EntryPage | undefined,
): { summary: RouteSummary; entries: RouteEntry[]; next?: EntryKey } => {
  const bounds = {
    asOf: dayKey(cut.asOf),
    from: filters.from === undefined ? 0 : dayKey(filters.from),
    to: filters.to === undefined ? Number.POSITIVE_INFINITY : dayKey(filters.to),
  };
  // Without the index (being built) or for bounds it cannot compare, every stream is taken the straightforward way.
  const index = bounds.asOf === NOT_A_DAY || bounds.from === NOT_A_DAY || bounds.to === NOT_A_DAY ? undefined : routeIndexOf(state);
  const route = index?.routes.get(routeId);
  const summary = emptySummary(routeId, family);
  const routeTag = tag.route(routeId);
  const candidates = index ? [...index.outside].filter((streamId) => isTagged(state, streamId, routeTag)) : streamsTagged(state, routeTag);
  const outside: StreamPart[] = candidates.map((streamId) => streamPartAt(state, streamId, routeId, cut));

  const counts = index && route ? countsAt(state, index, cut.knownAtMs, bounds.asOf) : undefined;
  if (route && counts) {
    const capacity = route.capacity.at(bounds.asOf, cut.knownAtMs);
    summary.operationalGwh = capacity.operationalGwh;
    summary.pipelineGwh = capacity.pipelineGwh;
    route.reaches.forEach((versions, stage) => {
      const first = firstCounted(index!.versions, versions.sorted(), bounds.asOf, counts);
      if (first !== undefined) reach(summary, MILESTONE_STAGES[stage], dayOfKey(index!.versions.on[first]));
    });
  }
  for (const part of outside) {
    summary.operationalGwh += part.operationalGwh;
    summary.pipelineGwh += part.pipelineGwh;
    for (const [stage, on] of part.reaches) reach(summary, stage, on);
  }
  summary.operationalGwh = roundQuantity(summary.operationalGwh);
  summary.pipelineGwh = roundQuantity(summary.pipelineGwh);

  const wanted = (entry: Positioned): boolean =>
    (filters.from === undefined || entry.on >= filters.from) &&
    (filters.to === undefined || entry.on <= filters.to) &&
    (filters.kind === undefined || entry.kind === filters.kind) &&
    after(entry, page?.after);
  const limit = page?.limit ?? Number.POSITIVE_INFINITY;
  const indexed = route && counts ? pageOf(index!.versions, route, bounds, filters.kind, page?.after, limit, counts) : [];
  const versions = index?.versions;
  const keyOf = (version: number): EntryKey => ({ on: dayOfKey(versions!.on[version]), position: versions!.position[version] });
  const others = outside.flatMap((part) => part.entries.filter(wanted)).sort(compareEntries);
  const merged: (number | Positioned)[] = [];
  let i = 0;
  let j = 0;
  while (merged.length <= limit && (i < indexed.length || j < others.length)) {
    if (j >= others.length || (i < indexed.length && !after(keyOf(indexed[i]), others[j]))) merged.push(indexed[i++]);
    else merged.push(others[j++]);
  }
  const more = merged.length > limit;
  if (more) merged.length = limit;
  const last = merged.at(-1);
  return {
    summary,
    entries: merged.map((item) => (typeof item === 'number' ? render(index!, item, routeId) : stripPosition(item))),
    ...(more && last !== undefined ? { next: typeof last === 'number' ? keyOf(last) : { on: last.on, position: last.position } } : {}),
  };
};

const stripPosition = ({ position: _position, ...entry }: Positioned): RouteEntry => entry;

/** Whether an indexed version counts at the cut: valid at knownAt, its plant announced by asOf, its company registered at knownAt. */
const countsAt = (state: ReadModelState, index: RouteIndex, knownAtMs: number, asOf: number): ((version: number) => boolean) => {
  const { from, until, gateOn, gateCompany } = index.versions;
  const knownCompanies: (boolean | undefined)[] = [];
  const companyKnown = (company: number): boolean => (knownCompanies[company] ??= registeredAt(state, index.companies[company], knownAtMs));
  return (version) =>
    from[version] <= knownAtMs &&
    knownAtMs < until[version] &&
    (gateOn[version] === NO_GATE || gateOn[version] <= asOf) &&
    (gateCompany[version] === NO_GATE || companyKnown(gateCompany[version]));
};
const NO_GATE = -1;

/** The first version of a reach list (sorted by date) that counts at the cut, if any is dated ≤ asOf. */
const firstCounted = (versions: EntryVersions, sorted: Int32Array, asOf: number, counts: (version: number) => boolean): number | undefined => {
  for (const version of sorted) {
    if (versions.on[version] > asOf) return undefined;
    if (counts(version)) return version;
  }
  return undefined;
};

/** Up to limit + 1 counted versions of the window, scanning from its first date (or the cursor) onwards. */
const pageOf = (
  versions: EntryVersions,
  route: RouteIndexOfRoute,
  bounds: { asOf: number; from: number; to: number },
  kind: RouteEntryKind | undefined,
  cursor: EntryKey | undefined,
  limit: number,
  counts: (version: number) => boolean,
): number[] => {
  const sorted = route.entries.sorted();
  const { on, position } = versions;
  const afterOn = cursor === undefined ? NOT_A_DAY : dayKey(cursor.on);
  const start = Math.max(bounds.from, afterOn);
  const end = Math.min(bounds.to, bounds.asOf);
  const kindIndex = kind === undefined ? -1 : ROUTE_ENTRY_KINDS.indexOf(kind);
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (on[sorted[mid]] < start) low = mid + 1;
    else high = mid;
  }
  const out: number[] = [];
  for (let i = low; i < sorted.length && on[sorted[i]] <= end && out.length <= limit; i++) {
    const version = sorted[i];
    if (kindIndex >= 0 && versions.kind[version] !== kindIndex) continue;
    if (on[version] === afterOn && position[version] <= cursor!.position) continue;
    if (counts(version)) out.push(version);
  }
  return out;
};

/**
 * An indexed version as the answer shows it, rendered from the stream reading it was made from. A version's
 * reading never changes, so neither does its entry: the index keeps the entries it rendered (see
 * `RouteIndex.rendered`), as reading a hundred facts scattered over a large heap is most of a page's cost.
 */
const render = (index: RouteIndex, version: number, routeId: string): RouteEntry => index.rendered(version, () => renderAnew(index, version, routeId));

const renderAnew = (index: RouteIndex, version: number, routeId: string): RouteEntry => {
  const { versions } = index;
  const timeline = index.timelineOf(versions.stream[version]);
  const factIndex = versions.factIndex[version];
  const kind = ROUTE_ENTRY_KINDS[versions.kind[version]];
  const reading = { timeline, facts: versions.facts[version], amendments: versions.amendments[version] };
  const candidate = candidatesOf(reading, factIndex).find((item) => item.routeId === routeId && item.kind === kind);
  if (!candidate) throw new Error(`route index: ${timeline.streamId} fact ${factIndex} no longer reads as a ${kind} of ${routeId}`);
  return entryOf(candidate, timeline.facts[factIndex].eventId);
};

/** Whether a registration of the company is recorded by knownAt and not retracted by then (as `companyAt`). */
const registeredAt = (state: ReadModelState, companyId: string, knownAtMs: number): boolean => {
  const timeline = state.entities.get(streamIds.company(companyId));
  if (!timeline) return false;
  for (const fact of timeline.facts) {
    if (fact.recordedMs > knownAtMs) return false;
    if (fact.type !== 'CompanyRegistered') continue;
    const retracted = timeline.amendments.some(
      (amendment) => amendment.recordedMs <= knownAtMs && amendment.kind === 'retraction' && amendment.targetEventId === fact.eventId,
    );
    if (!retracted) return true;
  }
  return false;
};

/**
 * Every route of the catalogue (built-in and registered at knownAt), optionally of one family, with its
 * stage, first pilot and mass-production dates and capacity at asOf.
 *
 * @example
 *   technologyRoutes(state, { asOf: '2025-12-31', knownAt: now }, { family: 'solid-state' }).routes
 */
export const technologyRoutes = (
  state: ReadModelState,
  time: QueryTime,
  filters: { family?: string } = {},
): TechnologyRoutesAnswer => {
  const cut = cutOf(time);
  const routes = [...routeCatalogue(state, cut)]
    .filter(([, family]) => filters.family === undefined || family === filters.family)
    .sort(([a], [b]) => compareIds(a, b))
    .map(([routeId, family]) => routeAtIndexed(state, routeId, family, cut, {}, { limit: 0 }).summary);
  return answerOf(state, time, cut, { routes });
};

/**
 * One route's dated entries (by date, then log position), filtered by date window and kind, one page at a
 * time (`limit`, default 100, at most 1000; `cursor` from the previous page's `nextCursor`); the summary
 * fields always reflect everything ≤ asOf. Undefined for a route neither built in nor registered at knownAt.
 */
export const technologyRouteTimeline = (
  state: ReadModelState,
  routeId: string,
  time: QueryTime,
  filters: RouteTimelineFilters & { limit?: number; cursor?: string } = {},
): RouteTimelineAnswer | undefined => {
  const cut = cutOf(time);
  const family = routeCatalogue(state, cut).get(routeId);
  if (family === undefined) return undefined;
  const afterKey = filters.cursor === undefined ? undefined : decodeTimelineCursor(filters.cursor);
  if (filters.cursor !== undefined && afterKey === undefined) throw new RangeError(`cursor ${JSON.stringify(filters.cursor)} is not a timeline cursor`);
  const limit = Math.min(Math.max(Math.trunc(filters.limit ?? DEFAULT_TIMELINE_LIMIT), 1), MAX_TIMELINE_LIMIT);
  const { summary, entries, next } = routeAtIndexed(state, routeId, family, cut, filters, { limit, after: afterKey });
  return answerOf(state, time, cut, Object.assign(summary, { entries, nextCursor: next ? encodeTimelineCursor(next) : null }));
};
