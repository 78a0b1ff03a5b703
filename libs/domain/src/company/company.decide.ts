import { Decider, isKnownRoute, KnownReferences, withoutUndefined } from '../shared/decider';
import { InvalidValue, NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { CloseFinancingRound, CompanyCommand, RegisterCompany, RenameCompany } from './company.commands';
import { CompanyEvent } from './company.events';
import { CompanyState, evolveCompany, initialCompanyState } from './company.state';

const register = (command: RegisterCompany, company: CompanyState): CompanyEvent[] => {
  if (company.registered) throw new RuleViolated(`company ${command.companyId} is already registered`);
  const { companyId, name, headquartersCountry, aliases = [], segments = [] } = command;
  return [{ type: 'CompanyRegistered', data: { companyId, name, headquartersCountry, aliases, segments } }];
};

const closeRound = (command: CloseFinancingRound, company: CompanyState, known: KnownReferences): CompanyEvent[] => {
  // The company is named in the body, not in the path: a missing one is a bad reference, not a missing resource.
  if (!company.registered) throw new ReferenceNotFound(`company ${command.companyId} does not exist`);
  if (company.roundIds.has(command.roundId)) {
    throw new RuleViolated(`financing round ${command.roundId} is already recorded for company ${command.companyId}`);
  }
  const { kind: _kind, investors = [], technologyRoutes = [], ...rest } = command;
  const unknownRoute = technologyRoutes.find((route) => !isKnownRoute(route, known));
  if (unknownRoute !== undefined) throw new ReferenceNotFound(`technology route ${unknownRoute} does not exist`);
  if (!(command.amount.value > 0)) throw new InvalidValue('amount.value', 'must be greater than 0');
  return [{ type: 'FinancingRoundClosed', data: withoutUndefined(Object.assign(rest, { investors, technologyRoutes })) }];
};

const rename = (command: RenameCompany, company: CompanyState): CompanyEvent[] => {
  if (!company.registered) throw new NotFound(`company ${command.companyId}`);
  const { companyId, name, renamedOn } = command;
  return [{ type: 'CompanyRenamed', data: { companyId, name, renamedOn } }];
};

/**
 * Decides what a company command adds to `company-<companyId>`.
 *
 * @throws RuleViolated when registering twice or reusing a round id
 * @throws ReferenceNotFound for a round on an unregistered company or naming an unknown route
 * @throws NotFound when renaming an unregistered company
 * @throws InvalidValue when a round's amount is not positive
 */
export const decideCompany = (command: CompanyCommand, state: CompanyState, known: KnownReferences): CompanyEvent[] => {
  switch (command.kind) {
    case 'company':
      return register(command, state);
    case 'financing-round':
      return closeRound(command, state, known);
    case 'company-rename':
      return rename(command, state);
  }
};

/** The company aggregate as one value. */
export const companyDecider: Decider<CompanyCommand, CompanyState, CompanyEvent> = {
  initialState: initialCompanyState,
  evolve: evolveCompany,
  decide: decideCompany,
};
