import { randomUUID } from 'node:crypto';
import {
  CapacityAnnounced,
  DomainEvent,
  FinancingRoundClosed,
  StandardRegistered,
  TariffMeasureImposed,
  TechnologyMilestoneReached,
  streamIds,
} from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import { ReadModelState, rebuildFromEvents } from '../engine/read-model-state';

/** The stream an event belongs to, by the aggregate it is about. */
export const streamOf = (event: DomainEvent): string => {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case 'CompanyRegistered':
    case 'CompanyRenamed':
    case 'FinancingRoundClosed':
      return streamIds.company(data.companyId);
    case 'StandardRegistered':
    case 'StandardStageChanged':
      return streamIds.standard(data.standardId);
    case 'TariffMeasureImposed':
    case 'TariffRateChanged':
    case 'TariffMeasureRevoked':
      return streamIds.tariff(data.measureId);
    case 'TechnologyRouteRegistered':
      return streamIds.route(data.routeId);
    case 'TechnologyMilestoneReached':
      return streamIds.route(data.technologyRoute);
    case 'FactCorrected':
    case 'FactRetracted':
      throw new Error('amendments go to the stream of their target: use correct() or retract()');
    default:
      return streamIds.plant(data.plantId);
  }
};

/**
 * A tiny log for given/when/then tests: events get increasing positions and the record time you give.
 *
 * @example
 *   const log = new EventLog();
 *   const announced = log.record(announce({ plantId: 'p1', companyId: 'c1' }), '2024-01-05T00:00:00Z');
 *   log.correct(announced, { plannedCapacityGwh: 8 }, '2024-02-01T00:00:00Z');
 */
export class EventLog {
  readonly events: StoredEvent[] = [];
  private readonly revisions = new Map<string, number>();

  record(event: DomainEvent, recordedAt: string, streamId = streamOf(event)): StoredEvent {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    const stored: StoredEvent = {
      eventId: randomUUID(),
      streamId,
      revision,
      position: this.events.length + 1,
      type: event.type,
      data: event.data,
      metadata: { schemaVersion: 1, recordedAt, recordedBy: 'test', source: { publisher: 'test' } },
      recordedAt,
    };
    this.events.push(stored);
    return stored;
  }

  correct(target: StoredEvent, changes: Record<string, unknown>, recordedAt: string): StoredEvent {
    return this.record(
      { type: 'FactCorrected', data: { eventId: target.eventId, correctedType: target.type, changes, reason: 'test' } },
      recordedAt,
      target.streamId,
    );
  }

  retract(target: StoredEvent, recordedAt: string): StoredEvent {
    return this.record(
      { type: 'FactRetracted', data: { eventId: target.eventId, retractedType: target.type, reason: 'test' } },
      recordedAt,
      target.streamId,
    );
  }

  state(): ReadModelState {
    return rebuildFromEvents(this.events);
  }
}

export const registerCompany = (companyId: string, headquartersCountry = 'CN', name = companyId): DomainEvent => ({
  type: 'CompanyRegistered',
  data: { companyId, name, headquartersCountry, aliases: [], segments: [] },
});

export const announce = (
  data: Partial<CapacityAnnounced['data']> & Pick<CapacityAnnounced['data'], 'plantId' | 'companyId'>,
): DomainEvent => ({
  type: 'CapacityAnnounced',
  data: {
    country: 'CN',
    technologyRoute: 'lfp',
    plannedCapacityGwh: 10,
    announcedOn: '2024-01-01',
    status: 'announced',
    partners: [],
    ...data,
  },
});

export const startConstruction = (plantId: string, startedOn: string): DomainEvent => ({
  type: 'PlantConstructionStarted',
  data: { plantId, startedOn },
});

export const commission = (plantId: string, commissionedOn: string, capacityGwh: number): DomainEvent => ({
  type: 'PlantCommissioned',
  data: { plantId, commissionedOn, capacityGwh },
});

export const revise = (plantId: string, revisedOn: string, plannedCapacityGwh: number): DomainEvent => ({
  type: 'PlantCapacityRevised',
  data: { plantId, revisedOn, plannedCapacityGwh },
});

export const suspend = (plantId: string, on: string): DomainEvent => ({ type: 'PlantSuspended', data: { plantId, on } });
export const resume = (plantId: string, on: string): DomainEvent => ({ type: 'PlantResumed', data: { plantId, on } });
export const cancel = (plantId: string, on: string): DomainEvent => ({ type: 'PlantCancelled', data: { plantId, on } });

export const financingRound = (
  data: Partial<FinancingRoundClosed['data']> & Pick<FinancingRoundClosed['data'], 'companyId' | 'roundId'>,
): DomainEvent => ({
  type: 'FinancingRoundClosed',
  data: {
    roundType: 'b',
    amount: { value: 100, currency: 'CNY' },
    closedOn: '2025-01-01',
    investors: [],
    technologyRoutes: [],
    ...data,
  },
});

export const registerStandard = (
  data: Partial<StandardRegistered['data']> & Pick<StandardRegistered['data'], 'standardId'>,
): DomainEvent => ({
  type: 'StandardRegistered',
  data: {
    title: 'Solid-state batteries for electric vehicles',
    issuer: 'MIIT',
    jurisdiction: 'CN',
    technologyRoutes: [],
    requirements: [],
    stage: 'drafting',
    on: '2025-01-01',
    ...data,
  },
});

export const changeStage = (
  standardId: string,
  stage: StandardRegistered['data']['stage'],
  on: string,
  code?: string,
): DomainEvent => ({ type: 'StandardStageChanged', data: { standardId, stage, on, ...(code ? { code } : {}) } });

export const imposeTariff = (
  data: Partial<TariffMeasureImposed['data']> & Pick<TariffMeasureImposed['data'], 'measureId'>,
): DomainEvent => ({
  type: 'TariffMeasureImposed',
  data: {
    importer: 'US',
    origin: 'CN',
    products: ['ev-battery'],
    measureType: 'mfn',
    ratePercent: 3.4,
    effectiveFrom: '2024-01-01',
    announcedOn: '2023-12-01',
    ...data,
  },
});

export const changeRate = (
  measureId: string,
  effectiveFrom: string,
  ratePercent: number,
  products?: TariffMeasureImposed['data']['products'],
): DomainEvent => ({
  type: 'TariffRateChanged',
  data: { measureId, effectiveFrom, ratePercent, ...(products ? { products } : {}) },
});

export const revokeTariff = (measureId: string, effectiveFrom: string): DomainEvent => ({
  type: 'TariffMeasureRevoked',
  data: { measureId, effectiveFrom },
});

export const reachMilestone = (
  data: Partial<TechnologyMilestoneReached['data']> &
    Pick<TechnologyMilestoneReached['data'], 'milestoneId' | 'technologyRoute' | 'stage' | 'achievedOn'>,
): DomainEvent => ({
  type: 'TechnologyMilestoneReached',
  data: { description: `${data.technologyRoute} reached ${data.stage}`, metrics: [], ...data },
});

/** An instant on a day, for readable record times. */
export const at = (day: string): string => `${day}T00:00:00.000Z`;
