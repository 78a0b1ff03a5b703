import { knownReferences } from '../shared/decider';
import { NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { specFor } from '../testing/given-when-then';
import { ChangeStandardStage, RegisterStandard } from './standard.commands';
import { standardDecider } from './standard.decide';
import { StandardRegistered, StandardStage, StandardStageChanged } from './standard.events';

const given = specFor(standardDecider);
const standardId = 'cn-gb-ssb-ev';

const register: RegisterStandard = {
  kind: 'standard',
  standardId,
  title: 'Solid-State Batteries for Electric Vehicles',
  issuer: 'MIIT',
  jurisdiction: 'CN',
  technologyRoutes: ['solid-state-sulphide'],
  stage: 'drafting',
  on: '2025-06-01',
};
const registered: StandardRegistered = {
  type: 'StandardRegistered',
  data: {
    standardId,
    title: 'Solid-State Batteries for Electric Vehicles',
    issuer: 'MIIT',
    jurisdiction: 'CN',
    technologyRoutes: ['solid-state-sulphide'],
    requirements: [],
    stage: 'drafting',
    on: '2025-06-01',
  },
};
const stage = (to: StandardStage, on: string): ChangeStandardStage => ({ kind: 'standard-stage', standardId, stage: to, on });
const changed = (to: StandardStage, on: string): StandardStageChanged => ({
  type: 'StandardStageChanged',
  data: { standardId, stage: to, on },
});

describe('standard decider', () => {
  describe('registration', () => {
    it('registers a standard with its first stage', () => given([]).when(register).then([registered]));

    it('keeps requirements and code', () => {
      const requirements = [{ metric: 'energy-density', operator: '>=' as const, value: 350, unit: 'Wh/kg' }];
      given([])
        .when({ ...register, requirements, code: 'GB/T 1' })
        .then([{ ...registered, data: { ...registered.data, requirements, code: 'GB/T 1' } }]);
    });

    it('accepts a registered route the application reports as known', () =>
      given([])
        .when({ ...register, technologyRoutes: ['oxide-polymer'] }, knownReferences({ routes: ['oxide-polymer'] }))
        .then([{ ...registered, data: { ...registered.data, technologyRoutes: ['oxide-polymer'] } }]));

    it('refuses to register a standard twice', () =>
      given([registered]).when(register).thenThrows(RuleViolated, /already registered/));

    it('refuses an unknown technology route', () =>
      given([]).when({ ...register, technologyRoutes: ['unobtainium'] }).thenThrows(ReferenceNotFound, /unobtainium/));
  });

  describe('stage change', () => {
    it('moves to the next stage', () =>
      given([registered]).when(stage('public-comment', '2025-12-01')).then([changed('public-comment', '2025-12-01')]));

    it('may skip stages forward', () =>
      given([registered]).when(stage('published', '2026-01-01')).then([changed('published', '2026-01-01')]));

    it('keeps a code given with the stage', () =>
      given([registered])
        .when({ ...stage('approved', '2026-01-01'), code: 'GB 12345-2026' })
        .then([{ type: 'StandardStageChanged', data: { standardId, stage: 'approved', on: '2026-01-01', code: 'GB 12345-2026' } }]));

    it('may happen on the same day as the previous stage', () =>
      given([registered]).when(stage('public-comment', '2025-06-01')).then([changed('public-comment', '2025-06-01')]));

    it('refuses an unknown standard', () =>
      given([]).when(stage('approved', '2026-01-01')).thenThrows(NotFound, /standard cn-gb-ssb-ev/));

    it('refuses to go back', () =>
      given([registered, changed('approved', '2026-01-01')])
        .when(stage('public-comment', '2026-02-01'))
        .thenThrows(RuleViolated, /cannot go back/));

    it('refuses the same stage again', () =>
      given([registered]).when(stage('drafting', '2025-07-01')).thenThrows(RuleViolated, /already at stage drafting/));

    it('refuses a stage dated before the previous stage', () =>
      given([registered]).when(stage('public-comment', '2025-05-31')).thenThrows(RuleViolated, /before stage drafting/));

    it.each<StandardStage>(['withdrawn', 'superseded'])('allows %s from any point', (to) =>
      given([registered, changed('in-force', '2026-07-01')]).when(stage(to, '2027-01-01')).then([changed(to, '2027-01-01')]));

    it.each<StandardStage>(['drafting', 'in-force', 'superseded', 'withdrawn'])('refuses %s after withdrawn', (to) =>
      given([registered, changed('withdrawn', '2026-01-01')])
        .when(stage(to, '2026-02-01'))
        .thenThrows(RuleViolated, /withdrawn: no stage after it/));

    it('allows withdrawal after superseded', () =>
      given([registered, changed('superseded', '2026-01-01')])
        .when(stage('withdrawn', '2026-02-01'))
        .then([changed('withdrawn', '2026-02-01')]));

    it.each<StandardStage>(['in-force', 'published'])('refuses %s after superseded', (to) =>
      given([registered, changed('superseded', '2026-01-01')])
        .when(stage(to, '2026-02-01'))
        .thenThrows(RuleViolated, /superseded: only withdrawal/));

    it('refuses superseded twice', () =>
      given([registered, changed('superseded', '2026-01-01')])
        .when(stage('superseded', '2026-02-01'))
        .thenThrows(RuleViolated, /already at stage superseded/));
  });
});
