export const STANDARD_STAGES = [
  'drafting',
  'public-comment',
  'approved',
  'published',
  'in-force',
  'withdrawn',
  'superseded',
] as const;
export type StandardStage = (typeof STANDARD_STAGES)[number];

export interface StandardRequirement {
  metric: string;
  operator: '<' | '<=' | '=' | '>=' | '>';
  value: number;
  unit: string;
}

/** Registration carries the standard's first stage, so a standard always has one. */
export interface StandardRegistered {
  type: 'StandardRegistered';
  data: {
    standardId: string;
    title: string;
    issuer: string;
    jurisdiction: string;
    code?: string;
    technologyRoutes: string[];
    requirements: StandardRequirement[];
    stage: StandardStage;
    on: string;
  };
}

export interface StandardStageChanged {
  type: 'StandardStageChanged';
  data: { standardId: string; stage: StandardStage; on: string; code?: string };
}

export type StandardEvent = StandardRegistered | StandardStageChanged;
