import { knownReferences } from '../shared/decider';
import { InvalidValue, NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { specFor, stateAfter } from '../testing/given-when-then';
import { CorrectFact, RetractFact } from './amendment.commands';
import { applyCorrections, CORRECTABLE_FIELDS, ID_FIELDS, withChanges } from './amendment.corrections';
import { amendmentDecider } from './amendment.decide';
import { AmendableEvent, amendedHistory } from './amendment.state';

const given = specFor(amendmentDecider);

const announced: AmendableEvent = {
  eventId: 'e-announced',
  type: 'CapacityAnnounced',
  data: {
    plantId: 'luochu-semi-solid',
    companyId: 'luochu',
    country: 'CN',
    technologyRoute: 'semi-solid',
    plannedCapacityGwh: 2,
    announcedOn: '2025-12-20',
    status: 'under-construction',
    partners: [],
  },
};
const commissioned: AmendableEvent = {
  eventId: 'e-commissioned',
  type: 'PlantCommissioned',
  data: { plantId: 'luochu-semi-solid', commissionedOn: '2026-06-01', capacityGwh: 2 },
};
const correctCapacity: CorrectFact = {
  kind: 'correction',
  eventId: 'e-commissioned',
  changes: { capacityGwh: 1.5 },
  reason: 'the source said 1.5 GWh',
};
const capacityCorrected: AmendableEvent = {
  eventId: 'e-corrected',
  type: 'FactCorrected',
  data: { eventId: 'e-commissioned', correctedType: 'PlantCommissioned', changes: { capacityGwh: 1.5 }, reason: 'x' },
};
const retractCommissioning: RetractFact = { kind: 'retraction', eventId: 'e-commissioned', reason: 'duplicate report' };
const commissioningRetracted: AmendableEvent = {
  eventId: 'e-retracted',
  type: 'FactRetracted',
  data: { eventId: 'e-commissioned', retractedType: 'PlantCommissioned', reason: 'duplicate report' },
};

describe('amendment decider', () => {
  describe('correction', () => {
    it('corrects a field of a recorded fact, naming its type', () =>
      given([announced, commissioned])
        .when(correctCapacity)
        .then([
          {
            type: 'FactCorrected',
            data: {
              eventId: 'e-commissioned',
              correctedType: 'PlantCommissioned',
              changes: { capacityGwh: 1.5 },
              reason: 'the source said 1.5 GWh',
            },
          },
        ]));

    it('corrects a fact again', () =>
      given([commissioned, capacityCorrected])
        .when({ ...correctCapacity, changes: { capacityGwh: 2 } })
        .then([
          {
            type: 'FactCorrected',
            data: {
              eventId: 'e-commissioned',
              correctedType: 'PlantCommissioned',
              changes: { capacityGwh: 2 },
              reason: 'the source said 1.5 GWh',
            },
          },
        ]));

    it('refuses an event not in the stream', () =>
      given([announced]).when(correctCapacity).thenThrows(NotFound, /event e-commissioned/));

    it('refuses to correct an amendment', () =>
      given([commissioned, capacityCorrected])
        .when({ ...correctCapacity, eventId: 'e-corrected' })
        .thenThrows(RuleViolated, /an amendment cannot be amended/));

    it('refuses to correct a retracted fact', () =>
      given([commissioned, commissioningRetracted]).when(correctCapacity).thenThrows(RuleViolated, /retracted/));

    it('refuses a correction without changes', () =>
      given([commissioned])
        .when({ ...correctCapacity, changes: {} })
        .thenThrows(InvalidValue, /changes: must name at least one field/));

    it('refuses a correction that changes nothing', () =>
      given([commissioned, capacityCorrected]).when(correctCapacity).thenThrows(InvalidValue, /change nothing/));

    it.each(['plantId', 'companyId'])('refuses to correct the id field %s', (field) =>
      given([announced])
        .when({ ...correctCapacity, eventId: 'e-announced', changes: { [field]: 'other' } })
        .thenThrows(InvalidValue, new RegExp(`changes\\.${field}: identifies the fact`)));

    it('refuses a field the target type does not have', () =>
      given([commissioned])
        .when({ ...correctCapacity, changes: { capacityGwh: 1, colour: 'red' } })
        .thenThrows(InvalidValue, /changes\.colour: is not a correctable field of PlantCommissioned/));

    it('refuses a corrected capacity out of range', () =>
      given([commissioned])
        .when({ ...correctCapacity, changes: { capacityGwh: 0 } })
        .thenThrows(InvalidValue, /changes\.capacityGwh/));

    it('refuses a corrected end date not after the start of a tariff', () =>
      given([
        {
          eventId: 'e-tariff',
          type: 'TariffMeasureImposed',
          data: {
            measureId: 'eu-cn-bev-cvd',
            importer: 'EU',
            origin: 'CN',
            products: ['bev'],
            measureType: 'countervailing',
            ratePercent: 35.3,
            effectiveFrom: '2024-10-31',
            announcedOn: '2024-10-29',
          },
        },
      ])
        .when({ kind: 'correction', eventId: 'e-tariff', changes: { effectiveUntil: '2024-10-01' }, reason: 'typo' })
        .thenThrows(InvalidValue, /changes\.effectiveUntil/));

    it('refuses a corrected route that does not exist', () =>
      given([announced])
        .when({ ...correctCapacity, eventId: 'e-announced', changes: { technologyRoute: 'unobtainium' } })
        .thenThrows(ReferenceNotFound, /unobtainium/));

    it('accepts a corrected route the application reports as known', () =>
      given([announced])
        .when(
          { ...correctCapacity, eventId: 'e-announced', changes: { technologyRoute: 'oxide-polymer' } },
          knownReferences({ routes: ['oxide-polymer'] }),
        )
        .then([
          {
            type: 'FactCorrected',
            data: {
              eventId: 'e-announced',
              correctedType: 'CapacityAnnounced',
              changes: { technologyRoute: 'oxide-polymer' },
              reason: 'the source said 1.5 GWh',
            },
          },
        ]));
  });

  describe('retraction', () => {
    it('retracts a recorded fact, naming its type', () =>
      given([announced, commissioned])
        .when(retractCommissioning)
        .then([
          {
            type: 'FactRetracted',
            data: { eventId: 'e-commissioned', retractedType: 'PlantCommissioned', reason: 'duplicate report' },
          },
        ]));

    it('retracts a corrected fact', () =>
      given([commissioned, capacityCorrected])
        .when(retractCommissioning)
        .then([
          {
            type: 'FactRetracted',
            data: { eventId: 'e-commissioned', retractedType: 'PlantCommissioned', reason: 'duplicate report' },
          },
        ]));

    it('refuses an event not in the stream', () =>
      given([announced]).when(retractCommissioning).thenThrows(NotFound, /event e-commissioned/));

    it('refuses to retract twice', () =>
      given([commissioned, commissioningRetracted]).when(retractCommissioning).thenThrows(RuleViolated, /retracted/));

    it('refuses to retract an amendment', () =>
      given([commissioned, commissioningRetracted])
        .when({ ...retractCommissioning, eventId: 'e-retracted' })
        .thenThrows(RuleViolated, /an amendment cannot be amended/));
  });

  describe('helpers', () => {
    it('remembers each fact with its corrections and retraction', () => {
      const { facts } = stateAfter(amendmentDecider, [announced, commissioned, capacityCorrected, commissioningRetracted]);
      expect(facts.get('e-commissioned')).toMatchObject({
        type: 'PlantCommissioned',
        corrections: [{ changes: { capacityGwh: 1.5 } }],
        retracted: true,
      });
      expect(facts.get('e-announced')?.retracted).toBe(false);
    });

    it('applies corrections in order, later ones winning', () =>
      expect(
        applyCorrections({ plantId: 'p', capacityGwh: 4, phase: 'a' }, [
          { changes: { capacityGwh: 2 } },
          { changes: { capacityGwh: 3, phase: 'b' } },
        ]),
      ).toEqual({ plantId: 'p', capacityGwh: 3, phase: 'b' }));

    it('merges changes into a new object, later fields winning, as a spread would', () => {
      const data = { plantId: 'p', capacityGwh: 4 };
      const merged = withChanges(data, { capacityGwh: 2, phase: 'b' });
      expect(merged).toEqual({ plantId: 'p', capacityGwh: 2, phase: 'b' });
      expect(Object.keys(merged)).toEqual(['plantId', 'capacityGwh', 'phase']);
      expect(data).toEqual({ plantId: 'p', capacityGwh: 4 });
      expect(withChanges(data, undefined)).not.toBe(data);
      expect(withChanges(undefined as Record<string, unknown> | undefined, { a: 1 })).toEqual({ a: 1 });
    });

    it('keeps a recorded __proto__ key as a field, never as the prototype', () => {
      const hostile = JSON.parse('{"__proto__": {"polluted": true}, "plantId": "p"}') as Record<string, unknown>;
      const merged = withChanges(hostile, JSON.parse('{"__proto__": {"again": true}}') as Record<string, unknown>) as Record<string, unknown>;
      expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
      expect(merged.polluted).toBeUndefined();
      expect(Object.hasOwn(merged, '__proto__')).toBe(true);
      expect(JSON.stringify(merged)).toBe('{"__proto__":{"again":true},"plantId":"p"}');
    });

    it('gives the history as it now stands', () => {
      expect(amendedHistory([announced, commissioned, capacityCorrected])).toEqual([
        announced,
        { ...commissioned, data: { plantId: 'luochu-semi-solid', commissionedOn: '2026-06-01', capacityGwh: 1.5 } },
      ]);
      expect(amendedHistory([announced, commissioned, commissioningRetracted])).toEqual([announced]);
    });

    it('never lets an id field or an amendment be corrected', () => {
      for (const [type, correctable] of Object.entries(CORRECTABLE_FIELDS)) {
        expect(correctable.filter((field) => ID_FIELDS.includes(field))).toEqual([]);
        if (type === 'FactCorrected' || type === 'FactRetracted') expect(correctable).toEqual([]);
      }
    });
  });
});
