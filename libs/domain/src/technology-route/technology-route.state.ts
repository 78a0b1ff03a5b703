import { TechnologyRouteEvent } from './technology-route.events';

/** A route stream exists for a registered route, or for a built-in one once it has a milestone. */
export interface TechnologyRouteState {
  registered: boolean;
  milestoneIds: ReadonlySet<string>;
}

export const initialTechnologyRouteState: TechnologyRouteState = { registered: false, milestoneIds: new Set() };

/** Folds one technology-route event; other types leave the state unchanged. */
export const evolveTechnologyRoute = (
  state: TechnologyRouteState,
  event: { type: string; data: unknown },
): TechnologyRouteState => {
  const e = event as TechnologyRouteEvent;
  switch (e.type) {
    case 'TechnologyRouteRegistered':
      return Object.assign({}, state, { registered: true });
    case 'TechnologyMilestoneReached':
      return Object.assign({}, state, { milestoneIds: new Set([...state.milestoneIds, e.data.milestoneId]) });
    default:
      return state;
  }
};
