import { AmendableEvent } from './amendment/amendment.state';
import {
  COMMAND_CATALOGUE,
  COMMAND_KINDS,
  commandEntry,
  decideOnHistory,
  DomainCommand,
  isCommandKind,
} from './command-catalogue';
import { knownReferences, NO_KNOWN_REFERENCES } from './shared/decider';
import { NotFound, RuleViolated } from './shared/domain-errors';

const plantId = 'byd-xuzhou-sodium';
const announced: AmendableEvent = {
  eventId: 'e1',
  type: 'CapacityAnnounced',
  data: {
    plantId,
    companyId: 'byd',
    country: 'CN',
    technologyRoute: 'sodium-ion',
    plannedCapacityGwh: 30,
    announcedOn: '2024-01-05',
    status: 'announced',
    partners: [],
  },
};

describe('command catalogue', () => {
  it('lists every batch kind of the REST contract, plus the admin and rename kinds', () =>
    expect([...COMMAND_KINDS].sort()).toEqual(
      [
        'company',
        'capacity-announcement',
        'construction-start',
        'commissioning',
        'capacity-revision',
        'suspension',
        'resumption',
        'cancellation',
        'financing-round',
        'standard',
        'standard-stage',
        'tariff-measure',
        'tariff-rate-change',
        'tariff-revocation',
        'technology-milestone',
        'correction',
        'retraction',
        'technology-route',
        'company-rename',
      ].sort(),
    ));

  it('tells command kinds from other strings', () => {
    expect(isCommandKind('commissioning')).toBe(true);
    expect(isCommandKind('toString')).toBe(false);
  });

  it.each<[DomainCommand, string]>([
    [{ kind: 'company', companyId: 'byd', name: 'BYD', headquartersCountry: 'CN' }, 'company-byd'],
    [{ kind: 'company-rename', companyId: 'byd', name: 'BYD Co', renamedOn: '2025-01-01' }, 'company-byd'],
    [{ kind: 'construction-start', plantId, startedOn: '2024-02-01' }, `plant-${plantId}`],
    [{ kind: 'standard-stage', standardId: 'gb-1', stage: 'approved', on: '2025-01-01' }, 'standard-gb-1'],
    [{ kind: 'tariff-revocation', measureId: 'us-cn-301', effectiveFrom: '2025-01-01' }, 'tariff-us-cn-301'],
    [{ kind: 'technology-route', routeId: 'lis', family: 'other', name: 'Li-S' }, 'route-lis'],
    [
      {
        kind: 'technology-milestone',
        milestoneId: 'm1',
        technologyRoute: 'sodium-ion',
        stage: 'pilot',
        achievedOn: '2023-01-01',
        description: 'pilot line',
      },
      'route-sodium-ion',
    ],
  ])('names the stream of %j', (command, streamId) => {
    const entry = commandEntry(command);
    expect(entry.target === 'aggregate' && entry.streamId(command)).toBe(streamId);
  });

  it('gives amendments the target event instead of a stream', () => {
    const entry = COMMAND_CATALOGUE.retraction;
    expect(entry.target).toBe('amended-fact');
    expect(entry.targetEventId({ kind: 'retraction', eventId: 'e1', reason: 'x' })).toBe('e1');
  });

  it('lists the references the application must look up', () => {
    expect(
      COMMAND_CATALOGUE['capacity-announcement'].references({
        kind: 'capacity-announcement',
        plantId,
        companyId: 'byd',
        country: 'CN',
        technologyRoute: 'sodium-ion',
        plannedCapacityGwh: 30,
        announcedOn: '2024-01-05',
      }),
    ).toEqual({ companies: ['byd'], routes: ['sodium-ion'] });
    expect(
      COMMAND_CATALOGUE.correction.references({
        kind: 'correction',
        eventId: 'e1',
        changes: { technologyRoutes: ['lfp', 'nmc'] },
        reason: 'x',
      }),
    ).toEqual({ companies: [], routes: ['lfp', 'nmc'] });
    expect(
      COMMAND_CATALOGUE['technology-milestone'].references({
        kind: 'technology-milestone',
        milestoneId: 'm1',
        technologyRoute: 'lis',
        stage: 'lab',
        achievedOn: '2023-01-01',
        description: 'cell',
        companyId: 'byd',
      }),
    ).toEqual({ companies: ['byd'], routes: ['lis'] });
  });

  describe('deciding on a loaded history', () => {
    const start: DomainCommand = { kind: 'construction-start', plantId, startedOn: '2024-02-01' };

    it('folds the stream and decides', () =>
      expect(decideOnHistory(start, [announced], NO_KNOWN_REFERENCES)).toEqual([
        { type: 'PlantConstructionStarted', data: { plantId, startedOn: '2024-02-01' } },
      ]));

    it('decides on the history as corrected', () => {
      const corrected: AmendableEvent = {
        eventId: 'e2',
        type: 'FactCorrected',
        data: { eventId: 'e1', correctedType: 'CapacityAnnounced', changes: { announcedOn: '2024-03-01' }, reason: 'x' },
      };
      expect(() => decideOnHistory(start, [announced, corrected], NO_KNOWN_REFERENCES)).toThrow(RuleViolated);
    });

    it('ignores retracted facts: a retracted announcement leaves no plant', () => {
      const retracted: AmendableEvent = {
        eventId: 'e2',
        type: 'FactRetracted',
        data: { eventId: 'e1', retractedType: 'CapacityAnnounced', reason: 'never happened' },
      };
      expect(() => decideOnHistory(start, [announced, retracted], NO_KNOWN_REFERENCES)).toThrow(NotFound);
    });

    it('decides amendments on the recorded events themselves', () =>
      expect(
        decideOnHistory({ kind: 'retraction', eventId: 'e1', reason: 'duplicate' }, [announced], knownReferences()),
      ).toEqual([{ type: 'FactRetracted', data: { eventId: 'e1', retractedType: 'CapacityAnnounced', reason: 'duplicate' } }]));
  });
});
