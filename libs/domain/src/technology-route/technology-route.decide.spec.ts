import { knownReferences } from '../shared/decider';
import { ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { specFor } from '../testing/given-when-then';
import { ReachTechnologyMilestone, RegisterTechnologyRoute } from './technology-route.commands';
import { technologyRouteDecider } from './technology-route.decide';
import { TechnologyMilestoneReached, TechnologyRouteRegistered } from './technology-route.events';

const given = specFor(technologyRouteDecider);

const registerRoute: RegisterTechnologyRoute = {
  kind: 'technology-route',
  routeId: 'oxide-polymer-composite',
  family: 'solid-state',
  name: 'Oxide-polymer composite electrolyte',
};
const routeRegistered: TechnologyRouteRegistered = {
  type: 'TechnologyRouteRegistered',
  data: { routeId: 'oxide-polymer-composite', family: 'solid-state', name: 'Oxide-polymer composite electrolyte' },
};
const milestone: ReachTechnologyMilestone = {
  kind: 'technology-milestone',
  milestoneId: 'xinjie-lithium-metal-mass-production',
  technologyRoute: 'lithium-metal',
  stage: 'mass-production',
  achievedOn: '2025-12-28',
  description: '2 GWh solid-state lithium-metal line in mass production',
  companyId: 'xinjie-energy',
};
const milestoneReached: TechnologyMilestoneReached = {
  type: 'TechnologyMilestoneReached',
  data: {
    milestoneId: 'xinjie-lithium-metal-mass-production',
    technologyRoute: 'lithium-metal',
    stage: 'mass-production',
    achievedOn: '2025-12-28',
    description: '2 GWh solid-state lithium-metal line in mass production',
    companyId: 'xinjie-energy',
    metrics: [],
  },
};
const xinjie = knownReferences({ companies: ['xinjie-energy'], routes: ['lithium-metal'] });

describe('technology route decider', () => {
  describe('route registration', () => {
    it('registers a new route', () => given([]).when(registerRoute).then([routeRegistered]));

    it('refuses to register a built-in route', () =>
      given([]).when({ ...registerRoute, routeId: 'sodium-ion' }).thenThrows(RuleViolated, /built in/));

    it('refuses to register a route twice', () =>
      given([routeRegistered]).when(registerRoute).thenThrows(RuleViolated, /already registered/));
  });

  describe('milestone', () => {
    it('records a milestone on a built-in route', () => given([]).when(milestone, xinjie).then([milestoneReached]));

    it('records a milestone without a company', () => {
      const { companyId: _companyId, ...withoutCompany } = milestone;
      const { companyId: _reachedCompanyId, ...data } = milestoneReached.data;
      given([]).when(withoutCompany).then([{ type: 'TechnologyMilestoneReached', data }]);
    });

    it('records a milestone on a registered route', () =>
      given([routeRegistered])
        .when({ ...milestone, technologyRoute: 'oxide-polymer-composite' }, xinjie)
        .then([{ ...milestoneReached, data: { ...milestoneReached.data, technologyRoute: 'oxide-polymer-composite' } }]));

    it('refuses an unknown route', () =>
      given([]).when({ ...milestone, technologyRoute: 'unobtainium' }, xinjie).thenThrows(ReferenceNotFound, /unobtainium/));

    it('refuses a milestone id already recorded on the route', () =>
      given([milestoneReached]).when(milestone, xinjie).thenThrows(RuleViolated, /already recorded/));

    it('refuses an unknown company', () =>
      given([]).when(milestone).thenThrows(ReferenceNotFound, /company xinjie-energy/));
  });
});
