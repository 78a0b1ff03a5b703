import { RouteFamily } from '../shared/technology-routes';
import { TechnologyMilestoneReached } from './technology-route.events';

/** Admin only: extends the built-in route catalogue. */
export interface RegisterTechnologyRoute {
  kind: 'technology-route';
  routeId: string;
  family: RouteFamily;
  name: string;
}

/** Records a milestone on a route. `metrics` defaults to empty. */
export type ReachTechnologyMilestone = { kind: 'technology-milestone' } & Omit<
  TechnologyMilestoneReached['data'],
  'metrics'
> & { metrics?: TechnologyMilestoneReached['data']['metrics'] };

export type TechnologyRouteCommand = RegisterTechnologyRoute | ReachTechnologyMilestone;
