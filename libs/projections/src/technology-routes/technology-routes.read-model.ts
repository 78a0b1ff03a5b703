import { BUILT_IN_ROUTES, MILESTONE_STAGES, MilestoneStage, RouteFamily, streamIds } from '@bsc/domain';
import { bucketsOfPlant } from '../company-capacity/capacity-buckets';
import { compareIds } from '../company-capacity/company-capacity.read-model';
import { companyAt } from '../company-capacity/company-profile';
import { plantAt } from '../company-capacity/plant-state';
import { Cut, factsAt } from '../engine/fact-timeline';
import { AnswerEcho, QueryTime, cutOf, echoOf, roundQuantity } from '../engine/query-time';
import { ReadModelState, streamsTagged, tag } from '../engine/read-model-state';

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

/**
 * Everything dated about one route at the cut, with the derived summary. Plants, rounds and milestones
 * count only when their company (if any is named for plants and rounds) is registered at knownAt, as in
 * company capacity.
 */
const routeAt = (state: ReadModelState, routeId: string, family: RouteFamily, cut: Cut & { asOf: string }) => {
  const summary: RouteSummary = {
    routeId,
    family,
    stage: null,
    firstPilotOn: null,
    firstMassProductionOn: null,
    operationalGwh: 0,
    pipelineGwh: 0,
  };
  const reach = (stage: MilestoneStage, on: string): void => {
    if (summary.stage === null || stageRank(stage) > stageRank(summary.stage)) summary.stage = stage;
    if (stage === 'pilot') summary.firstPilotOn = earliest(summary.firstPilotOn, on);
    if (stage === 'mass-production') summary.firstMassProductionOn = earliest(summary.firstMassProductionOn, on);
  };
  const entries: (RouteEntry & { position: number })[] = [];
  const companyKnown = (companyId: string): boolean => companyAt(state.entities.get(streamIds.company(companyId)), cut) !== undefined;

  for (const streamId of streamsTagged(state, tag.route(routeId))) {
    const timeline = state.entities.get(streamId);
    const plant = plantAt(timeline, cut);
    const plantCounts = plant !== undefined && plant.technologyRoute === routeId && companyKnown(plant.companyId);
    if (plant && plantCounts) {
      const { operationalGwh, pipelineGwh } = bucketsOfPlant(plant);
      summary.operationalGwh += operationalGwh;
      summary.pipelineGwh += pipelineGwh;
    }
    const known = factsAt(timeline, { knownAtMs: cut.knownAtMs });
    const registration = known.find((fact) => fact.event.type === 'StandardRegistered')?.event;
    const standard = registration?.type === 'StandardRegistered' && registration.data.technologyRoutes.includes(routeId) ? registration.data : undefined;
    for (const { event, eventId, position, effectiveOn } of known) {
      if (effectiveOn === undefined || effectiveOn > cut.asOf) continue;
      const add = (kind: RouteEntryKind, summaryText: string, companyId?: string): void => {
        entries.push({ on: effectiveOn, kind, eventId, ...(companyId !== undefined ? { companyId } : {}), summary: summaryText, position });
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
            reach('mass-production', effectiveOn);
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
            reach(event.data.stage, effectiveOn);
          }
          break;
      }
    }
  }
  summary.operationalGwh = roundQuantity(summary.operationalGwh);
  summary.pipelineGwh = roundQuantity(summary.pipelineGwh);
  entries.sort((a, b) => (a.on !== b.on ? compareIds(a.on, b.on) : a.position - b.position));
  return { summary, entries: entries.map(({ position: _position, ...entry }) => entry) };
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
    .map(([routeId, family]) => routeAt(state, routeId, family, cut).summary);
  return { ...echoOf(state, time, cut), routes };
};

/**
 * One route's dated entries (by date, then log position), filtered by date window and kind; the summary
 * fields always reflect everything ≤ asOf. Undefined for a route neither built in nor registered at knownAt.
 */
export const technologyRouteTimeline = (
  state: ReadModelState,
  routeId: string,
  time: QueryTime,
  filters: RouteTimelineFilters = {},
): RouteTimelineAnswer | undefined => {
  const cut = cutOf(time);
  const family = routeCatalogue(state, cut).get(routeId);
  if (family === undefined) return undefined;
  const { summary, entries } = routeAt(state, routeId, family, cut);
  return {
    ...echoOf(state, time, cut),
    ...summary,
    entries: entries.filter(
      (entry) =>
        (filters.from === undefined || entry.on >= filters.from) &&
        (filters.to === undefined || entry.on <= filters.to) &&
        (filters.kind === undefined || entry.kind === filters.kind),
    ),
  };
};
