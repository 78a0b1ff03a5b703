import { StandardRegistered, StandardStage } from './standard.events';

/** Registers a standard with its first stage. Lists default to empty. */
export type RegisterStandard = { kind: 'standard' } & Omit<
  StandardRegistered['data'],
  'technologyRoutes' | 'requirements'
> & { technologyRoutes?: string[]; requirements?: StandardRegistered['data']['requirements'] };

export interface ChangeStandardStage {
  kind: 'standard-stage';
  standardId: string;
  stage: StandardStage;
  on: string;
  code?: string;
}

export type StandardCommand = RegisterStandard | ChangeStandardStage;
