import { Decider, isKnownRoute, KnownReferences, withoutUndefined } from '../shared/decider';
import { ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { isBuiltInRoute } from '../shared/technology-routes';
import {
  ReachTechnologyMilestone,
  RegisterTechnologyRoute,
  TechnologyRouteCommand,
} from './technology-route.commands';
import { TechnologyRouteEvent } from './technology-route.events';
import {
  evolveTechnologyRoute,
  initialTechnologyRouteState,
  TechnologyRouteState,
} from './technology-route.state';

const register = (command: RegisterTechnologyRoute, route: TechnologyRouteState): TechnologyRouteEvent[] => {
  if (isBuiltInRoute(command.routeId)) throw new RuleViolated(`technology route ${command.routeId} is built in`);
  if (route.registered) throw new RuleViolated(`technology route ${command.routeId} is already registered`);
  const { routeId, family, name } = command;
  return [{ type: 'TechnologyRouteRegistered', data: { routeId, family, name } }];
};

const reachMilestone = (
  command: ReachTechnologyMilestone,
  route: TechnologyRouteState,
  known: KnownReferences,
): TechnologyRouteEvent[] => {
  // The route is named in the body, so an unknown one is a bad reference; its own stream also proves it exists.
  if (!route.registered && !isKnownRoute(command.technologyRoute, known)) {
    throw new ReferenceNotFound(`technology route ${command.technologyRoute} does not exist`);
  }
  if (route.milestoneIds.has(command.milestoneId)) {
    throw new RuleViolated(`milestone ${command.milestoneId} is already recorded for route ${command.technologyRoute}`);
  }
  if (command.companyId !== undefined && !known.companies.has(command.companyId)) {
    throw new ReferenceNotFound(`company ${command.companyId} does not exist`);
  }
  const { kind: _kind, metrics = [], ...rest } = command;
  return [{ type: 'TechnologyMilestoneReached', data: withoutUndefined(Object.assign(rest, { metrics })) }];
};

/**
 * Decides what a technology-route command adds to `route-<routeId>` (a milestone goes to the stream of its
 * `technologyRoute`).
 *
 * @throws RuleViolated for registering a built-in or already registered route, or reusing a milestone id
 * @throws ReferenceNotFound for a milestone on an unknown route or naming an unknown company
 */
export const decideTechnologyRoute = (
  command: TechnologyRouteCommand,
  state: TechnologyRouteState,
  known: KnownReferences,
): TechnologyRouteEvent[] => {
  switch (command.kind) {
    case 'technology-route':
      return register(command, state);
    case 'technology-milestone':
      return reachMilestone(command, state, known);
  }
};

/** The technology-route aggregate as one value. */
export const technologyRouteDecider: Decider<TechnologyRouteCommand, TechnologyRouteState, TechnologyRouteEvent> = {
  initialState: initialTechnologyRouteState,
  evolve: evolveTechnologyRoute,
  decide: decideTechnologyRoute,
};
