import { knownReferences } from '../shared/decider';
import { InvalidValue, NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { specFor } from '../testing/given-when-then';
import { CloseFinancingRound, RegisterCompany, RenameCompany } from './company.commands';
import { CompanyRegistered, FinancingRoundClosed } from './company.events';
import { companyDecider } from './company.decide';

const given = specFor(companyDecider);

const register: RegisterCompany = {
  kind: 'company',
  companyId: 'taland',
  name: 'Taland New Energy',
  headquartersCountry: 'CN',
};
const registered: CompanyRegistered = {
  type: 'CompanyRegistered',
  data: { companyId: 'taland', name: 'Taland New Energy', headquartersCountry: 'CN', aliases: [], segments: [] },
};
const round: CloseFinancingRound = {
  kind: 'financing-round',
  companyId: 'taland',
  roundId: 'taland-2025-strategic',
  roundType: 'strategic',
  amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
  closedOn: '2025-12-18',
  technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
};
const roundClosed: FinancingRoundClosed = {
  type: 'FinancingRoundClosed',
  data: {
    companyId: 'taland',
    roundId: 'taland-2025-strategic',
    roundType: 'strategic',
    amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
    closedOn: '2025-12-18',
    investors: [],
    technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
  },
};
const rename: RenameCompany = { kind: 'company-rename', companyId: 'taland', name: 'Taland Energy', renamedOn: '2026-01-05' };

describe('company decider', () => {
  describe('registration', () => {
    it('registers a new company with empty lists by default', () => given([]).when(register).then([registered]));

    it('keeps aliases and segments as given', () =>
      given([])
        .when({ ...register, aliases: ['Taland'], segments: ['cells'] })
        .then([{ ...registered, data: { ...registered.data, aliases: ['Taland'], segments: ['cells'] } }]));

    it('refuses to register a company twice', () =>
      given([registered]).when(register).thenThrows(RuleViolated, /already registered/));
  });

  describe('financing round', () => {
    it('records a round of a registered company', () => given([registered]).when(round).then([roundClosed]));

    it('accepts a route registered by an admin when the application reports it as known', () =>
      given([registered])
        .when({ ...round, technologyRoutes: ['oxide-polymer-composite'] }, knownReferences({ routes: ['oxide-polymer-composite'] }))
        .then([{ ...roundClosed, data: { ...roundClosed.data, technologyRoutes: ['oxide-polymer-composite'] } }]));

    it('keeps the round label as reported', () =>
      given([registered])
        .when({ ...round, roundLabel: 'B+' })
        .then([{ ...roundClosed, data: { ...roundClosed.data, roundLabel: 'B+' } }]));

    it('refuses a round of a company that does not exist', () =>
      given([]).when(round).thenThrows(ReferenceNotFound, /company taland/));

    it('refuses a round id already used within the company', () =>
      given([registered, roundClosed]).when(round).thenThrows(RuleViolated, /already recorded/));

    it('refuses an unknown technology route', () =>
      given([registered])
        .when({ ...round, technologyRoutes: ['lfp', 'unobtainium'] })
        .thenThrows(ReferenceNotFound, /unobtainium/));

    it('refuses an amount that is not positive', () =>
      given([registered])
        .when({ ...round, amount: { value: 0, currency: 'CNY' } })
        .thenThrows(InvalidValue, /amount\.value/));
  });

  describe('rename', () => {
    it('renames a registered company', () =>
      given([registered])
        .when(rename)
        .then([{ type: 'CompanyRenamed', data: { companyId: 'taland', name: 'Taland Energy', renamedOn: '2026-01-05' } }]));

    it('refuses to rename a company that does not exist', () =>
      given([]).when(rename).thenThrows(NotFound, /company taland/));
  });
});
