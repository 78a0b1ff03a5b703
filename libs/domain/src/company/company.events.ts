import { Money } from '../shared/values';

export const ROUND_TYPES = [
  'seed',
  'angel',
  'pre-a',
  'a',
  'b',
  'c',
  'd',
  'e',
  'later-stage',
  'strategic',
  'pre-ipo',
  'ipo',
  'private-placement',
  'convertible',
  'debt',
  'grant',
  'other',
] as const;
export type RoundType = (typeof ROUND_TYPES)[number];

export interface CompanyRegistered {
  type: 'CompanyRegistered';
  data: {
    companyId: string;
    name: string;
    headquartersCountry: string;
    aliases: string[];
    segments: string[];
  };
}

export interface CompanyRenamed {
  type: 'CompanyRenamed';
  data: { companyId: string; name: string; renamedOn: string };
}

export interface FinancingRoundClosed {
  type: 'FinancingRoundClosed';
  data: {
    companyId: string;
    roundId: string;
    roundType: RoundType;
    /** As reported ("B+", "strategic"). */
    roundLabel?: string;
    amount: Money;
    closedOn: string;
    investors: string[];
    technologyRoutes: string[];
  };
}

export type CompanyEvent = CompanyRegistered | CompanyRenamed | FinancingRoundClosed;
