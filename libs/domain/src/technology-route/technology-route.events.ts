import { RouteFamily } from '../shared/technology-routes';

export const MILESTONE_STAGES = [
  'lab',
  'pilot',
  'engineering-samples',
  'mass-production',
  'vehicle-delivery',
  'grid-connection',
] as const;
export type MilestoneStage = (typeof MILESTONE_STAGES)[number];

/** Extends the built-in route catalogue (admin only). */
export interface TechnologyRouteRegistered {
  type: 'TechnologyRouteRegistered';
  data: { routeId: string; family: RouteFamily; name: string };
}

export interface MilestoneMetric {
  name: string;
  value: number;
  unit: string;
}

export interface TechnologyMilestoneReached {
  type: 'TechnologyMilestoneReached';
  data: {
    milestoneId: string;
    technologyRoute: string;
    stage: MilestoneStage;
    achievedOn: string;
    description: string;
    companyId?: string;
    metrics: MilestoneMetric[];
  };
}

export type TechnologyRouteEvent = TechnologyRouteRegistered | TechnologyMilestoneReached;
