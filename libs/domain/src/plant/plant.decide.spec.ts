import { knownReferences } from '../shared/decider';
import { InvalidValue, NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { specFor, stateAfter } from '../testing/given-when-then';
import { AnnounceCapacity, CommissionPlant, PlantCommand } from './plant.commands';
import { plantDecider } from './plant.decide';
import { evolvePlant } from './plant.state';
import {
  CapacityAnnounced,
  PlantCancelled,
  PlantCommissioned,
  PlantConstructionStarted,
  PlantResumed,
  PlantSuspended,
} from './plant.events';

const given = specFor(plantDecider);
const known = knownReferences({ companies: ['catl'], routes: ['lfp'] });

const announce: AnnounceCapacity = {
  kind: 'capacity-announcement',
  plantId: 'catl-debrecen-hu',
  companyId: 'catl',
  country: 'HU',
  technologyRoute: 'lfp',
  plannedCapacityGwh: 100,
  announcedOn: '2022-08-12',
};
const announced: CapacityAnnounced = {
  type: 'CapacityAnnounced',
  data: {
    plantId: 'catl-debrecen-hu',
    companyId: 'catl',
    country: 'HU',
    technologyRoute: 'lfp',
    plannedCapacityGwh: 100,
    announcedOn: '2022-08-12',
    status: 'announced',
    partners: [],
  },
};
const plantId = 'catl-debrecen-hu';
const started: PlantConstructionStarted = { type: 'PlantConstructionStarted', data: { plantId, startedOn: '2023-03-01' } };
const commissioned: PlantCommissioned = {
  type: 'PlantCommissioned',
  data: { plantId, commissionedOn: '2025-06-01', capacityGwh: 40 },
};
const suspended: PlantSuspended = { type: 'PlantSuspended', data: { plantId, on: '2024-01-10' } };
const resumed: PlantResumed = { type: 'PlantResumed', data: { plantId, on: '2024-04-01' } };
const cancelled: PlantCancelled = { type: 'PlantCancelled', data: { plantId, on: '2024-02-01' } };

const commission: CommissionPlant = { kind: 'commissioning', plantId, commissionedOn: '2025-06-01', capacityGwh: 40 };
const startConstruction: PlantCommand = { kind: 'construction-start', plantId, startedOn: '2023-03-01' };

describe('plant decider', () => {
  describe('capacity announcement', () => {
    it('announces a plant with status announced by default', () => given([]).when(announce, known).then([announced]));

    it('may open with a construction already under way', () =>
      given([])
        .when({ ...announce, status: 'under-construction', region: 'Hajdú-Bihar', partners: ['mercedes'] }, known)
        .then([
          {
            ...announced,
            data: { ...announced.data, status: 'under-construction', region: 'Hajdú-Bihar', partners: ['mercedes'] },
          },
        ]));

    it('refuses to announce a plant twice', () =>
      given([announced]).when(announce, known).thenThrows(RuleViolated, /already announced/));

    it('refuses an unknown company', () =>
      given([]).when(announce, knownReferences({ routes: ['lfp'] })).thenThrows(ReferenceNotFound, /company catl/));

    it('refuses an unknown technology route', () =>
      given([])
        .when({ ...announce, technologyRoute: 'unobtainium' }, known)
        .thenThrows(ReferenceNotFound, /route unobtainium/));

    it('accepts a built-in route even when the application did not list it', () =>
      given([]).when(announce, knownReferences({ companies: ['catl'] })).then([announced]));

    it.each([0, -1, 10_001])('refuses a planned capacity of %p GWh', (gwh) =>
      given([])
        .when({ ...announce, plannedCapacityGwh: gwh }, known)
        .thenThrows(InvalidValue, /plannedCapacityGwh/));

    it('accepts the maximum capacity of one plant', () =>
      given([])
        .when({ ...announce, plannedCapacityGwh: 10_000 }, known)
        .then([{ ...announced, data: { ...announced.data, plannedCapacityGwh: 10_000 } }]));
  });

  describe('commands on a plant never announced', () => {
    it.each<PlantCommand>([
      startConstruction,
      commission,
      { kind: 'capacity-revision', plantId, plannedCapacityGwh: 50, revisedOn: '2024-01-01' },
      { kind: 'suspension', plantId, on: '2024-01-01' },
      { kind: 'resumption', plantId, on: '2024-01-01' },
      { kind: 'cancellation', plantId, on: '2024-01-01' },
    ])('refuses $kind as not found', (command) => given([]).when(command).thenThrows(NotFound, /plant catl-debrecen-hu/));
  });

  describe('construction start', () => {
    it('starts construction of an announced plant', () => given([announced]).when(startConstruction).then([started]));

    it('starts construction on the announcement day', () =>
      given([announced])
        .when({ kind: 'construction-start', plantId, startedOn: '2022-08-12' })
        .then([{ type: 'PlantConstructionStarted', data: { plantId, startedOn: '2022-08-12' } }]));

    it('refuses construction before announcement', () =>
      given([announced])
        .when({ kind: 'construction-start', plantId, startedOn: '2022-08-11' })
        .thenThrows(RuleViolated, /construction before announcement is refused/));

    it('refuses a second construction start', () =>
      given([announced, started]).when(startConstruction).thenThrows(RuleViolated, /already started/));

    it('refuses a start when the announcement said construction was under way', () =>
      given([{ ...announced, data: { ...announced.data, status: 'under-construction' } }])
        .when(startConstruction)
        .thenThrows(RuleViolated, /already started/));

    it('refuses a start of an operational plant', () =>
      given([announced, commissioned]).when(startConstruction).thenThrows(RuleViolated, /already started/));

    it('refuses a start of a cancelled plant', () =>
      given([announced, cancelled]).when(startConstruction).thenThrows(RuleViolated, /cancelled/));

    it('refuses a start of a suspended plant', () =>
      given([announced, suspended]).when(startConstruction).thenThrows(RuleViolated, /resume it first/));
  });

  describe('commissioning', () => {
    it('commissions a plant under construction', () =>
      given([announced, started]).when(commission).then([commissioned]));

    it('commissions a plant whose construction start was never reported', () =>
      given([announced]).when(commission).then([commissioned]));

    it('commissions a further phase of an operational plant', () =>
      given([announced, started, commissioned])
        .when({ ...commission, capacityGwh: 60, phase: 'phase 2' })
        .then([{ ...commissioned, data: { ...commissioned.data, capacityGwh: 60, phase: 'phase 2' } }]));

    it('refuses commissioning of a cancelled plant', () =>
      given([announced, cancelled]).when(commission).thenThrows(RuleViolated, /cancelled/));

    it('refuses commissioning of a suspended plant', () =>
      given([announced, started, suspended]).when(commission).thenThrows(RuleViolated, /resume it first/));

    it('commissions a plant once it has resumed', () =>
      given([announced, started, suspended, resumed]).when(commission).then([commissioned]));

    it('refuses commissioning before the construction start', () =>
      given([announced, started])
        .when({ ...commission, commissionedOn: '2023-02-28' })
        .thenThrows(RuleViolated, /before construction start/));

    it('refuses commissioning before the announcement', () =>
      given([announced])
        .when({ ...commission, commissionedOn: '2022-01-01' })
        .thenThrows(RuleViolated, /before announcement/));

    it.each([0, -5, 10_001])('refuses a commissioned capacity of %p GWh', (gwh) =>
      given([announced, started]).when({ ...commission, capacityGwh: gwh }).thenThrows(InvalidValue, /capacityGwh/));

    it('refuses phases that together exceed the maximum of one plant', () =>
      given([announced, started, { ...commissioned, data: { ...commissioned.data, capacityGwh: 9_990 } }])
        .when({ ...commission, capacityGwh: 11 })
        .thenThrows(InvalidValue, /capacityGwh/));
  });

  describe('capacity revision', () => {
    const revise: PlantCommand = { kind: 'capacity-revision', plantId, plannedCapacityGwh: 60, revisedOn: '2024-05-01' };

    it('revises the planned capacity', () =>
      given([announced, started])
        .when({ ...revise, reason: 'demand' })
        .then([{ type: 'PlantCapacityRevised', data: { plantId, plannedCapacityGwh: 60, revisedOn: '2024-05-01', reason: 'demand' } }]));

    it('refuses a revision of a cancelled plant', () =>
      given([announced, cancelled]).when(revise).thenThrows(RuleViolated, /cancelled/));

    it('refuses a revision dated before the announcement', () =>
      given([announced]).when({ ...revise, revisedOn: '2021-01-01' }).thenThrows(RuleViolated, /before the announcement/));

    it('refuses a capacity that is not positive', () =>
      given([announced]).when({ ...revise, plannedCapacityGwh: 0 }).thenThrows(InvalidValue, /plannedCapacityGwh/));
  });

  describe('suspension and resumption', () => {
    it('suspends a plant', () =>
      given([announced, started]).when({ kind: 'suspension', plantId, on: '2024-01-10' }).then([suspended]));

    it('refuses to suspend a suspended plant', () =>
      given([announced, started, suspended])
        .when({ kind: 'suspension', plantId, on: '2024-02-10' })
        .thenThrows(RuleViolated, /already suspended/));

    it('refuses to suspend a cancelled plant', () =>
      given([announced, cancelled]).when({ kind: 'suspension', plantId, on: '2024-03-10' }).thenThrows(RuleViolated, /cancelled/));

    it('refuses a suspension dated before the latest event', () =>
      given([announced, started])
        .when({ kind: 'suspension', plantId, on: '2023-02-01' })
        .thenThrows(RuleViolated, /latest event/));

    it('resumes a suspended plant where it was', () => {
      given([announced, started, suspended]).when({ kind: 'resumption', plantId, on: '2024-04-01' }).then([resumed]);
      expect(stateAfter(plantDecider, [announced, started, suspended, resumed]).status).toBe('under-construction');
    });

    it('refuses to resume a plant that is not suspended', () =>
      given([announced, started])
        .when({ kind: 'resumption', plantId, on: '2024-04-01' })
        .thenThrows(RuleViolated, /not suspended/));

    it('refuses to resume a cancelled plant', () =>
      given([announced, suspended, { ...cancelled, data: { plantId, on: '2024-02-01' } }])
        .when({ kind: 'resumption', plantId, on: '2024-04-01' })
        .thenThrows(RuleViolated, /cancelled/));

    it('refuses a resumption dated before the suspension', () =>
      given([announced, started, suspended])
        .when({ kind: 'resumption', plantId, on: '2024-01-09' })
        .thenThrows(RuleViolated, /latest event/));
  });

  describe('cancellation', () => {
    it('cancels a plant', () => given([announced]).when({ kind: 'cancellation', plantId, on: '2024-02-01' }).then([cancelled]));

    it('cancels a suspended plant', () =>
      given([announced, suspended]).when({ kind: 'cancellation', plantId, on: '2024-02-01' }).then([cancelled]));

    it('refuses to cancel twice', () =>
      given([announced, cancelled])
        .when({ kind: 'cancellation', plantId, on: '2024-03-01' })
        .thenThrows(RuleViolated, /already cancelled/));

    it('refuses a cancellation dated before the latest event', () =>
      given([announced, started, commissioned])
        .when({ kind: 'cancellation', plantId, on: '2025-05-31' })
        .thenThrows(RuleViolated, /latest event/));
  });

  it('ignores events of other aggregates when folding', () => {
    const state = stateAfter(plantDecider, [announced]);
    expect(evolvePlant(state, { type: 'FactRetracted', data: { eventId: 'e1', retractedType: 'PlantCancelled', reason: 'x' } })).toBe(state);
  });
});
