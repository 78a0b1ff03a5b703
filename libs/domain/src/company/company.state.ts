import { CompanyEvent } from './company.events';

/** What the company decider needs to remember: whether it exists, and which round ids are taken. */
export interface CompanyState {
  registered: boolean;
  name?: string;
  roundIds: ReadonlySet<string>;
}

export const initialCompanyState: CompanyState = { registered: false, roundIds: new Set() };

/** Folds one company event; other types leave the state unchanged. */
export const evolveCompany = (state: CompanyState, event: { type: string; data: unknown }): CompanyState => {
  const e = event as CompanyEvent;
  switch (e.type) {
    case 'CompanyRegistered':
      return Object.assign({}, state, { registered: true, name: e.data.name });
    case 'CompanyRenamed':
      return Object.assign({}, state, { name: e.data.name });
    case 'FinancingRoundClosed':
      return Object.assign({}, state, { roundIds: new Set([...state.roundIds, e.data.roundId]) });
    default:
      return state;
  }
};
