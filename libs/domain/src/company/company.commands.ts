import { FinancingRoundClosed } from './company.events';

/** Registers a company (batch kind `company`). Lists default to empty. */
export interface RegisterCompany {
  kind: 'company';
  companyId: string;
  name: string;
  headquartersCountry: string;
  aliases?: string[];
  segments?: string[];
}

/** Records a closed financing round on the company named in the body. Lists default to empty. */
export type CloseFinancingRound = { kind: 'financing-round' } & Omit<
  FinancingRoundClosed['data'],
  'investors' | 'technologyRoutes'
> & { investors?: string[]; technologyRoutes?: string[] };

/** Records a new name for an existing company. */
export interface RenameCompany {
  kind: 'company-rename';
  companyId: string;
  name: string;
  renamedOn: string;
}

export type CompanyCommand = RegisterCompany | CloseFinancingRound | RenameCompany;
