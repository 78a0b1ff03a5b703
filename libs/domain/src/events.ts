import { AmendmentEvent } from './amendment/amendment.events';
import { CompanyEvent } from './company/company.events';
import { PlantEvent } from './plant/plant.events';
import { Source } from './shared/values';
import { StandardEvent } from './standard/standard.events';
import { TariffEvent } from './tariff/tariff.events';
import { TechnologyRouteEvent } from './technology-route/technology-route.events';

/** Every fact the domain records, as `{ type, data }`. Type names are stored as these literals, forever. */
export type DomainEvent =
  | CompanyEvent
  | PlantEvent
  | StandardEvent
  | TariffEvent
  | TechnologyRouteEvent
  | AmendmentEvent;

export type DomainEventType = DomainEvent['type'];
export type EventOfType<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** Current schema version of each stored event type; bump with an upcaster beside the old shape. */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<DomainEventType, number>> = {
  CompanyRegistered: 1,
  CompanyRenamed: 1,
  FinancingRoundClosed: 1,
  CapacityAnnounced: 1,
  PlantConstructionStarted: 1,
  PlantCommissioned: 1,
  PlantCapacityRevised: 1,
  PlantSuspended: 1,
  PlantResumed: 1,
  PlantCancelled: 1,
  StandardRegistered: 1,
  StandardStageChanged: 1,
  TariffMeasureImposed: 1,
  TariffRateChanged: 1,
  TariffMeasureRevoked: 1,
  TechnologyRouteRegistered: 1,
  TechnologyMilestoneReached: 1,
  FactCorrected: 1,
  FactRetracted: 1,
};

export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_SCHEMA_VERSIONS) as DomainEventType[];

export const isDomainEventType = (type: string): type is DomainEventType =>
  Object.hasOwn(EVENT_SCHEMA_VERSIONS, type);

/**
 * Metadata on every stored event. `recordedAt` is the transaction time (`knownAt` compares with it): it is
 * assigned by the write path, never before the stream's previous event, and covered by `hash`, so it
 * survives a migration between stores unchanged.
 */
export interface DomainEventMetadata {
  schemaVersion: number;
  recordedAt: string;
  recordedBy: string;
  source: Source;
  correlationId: string;
  causationId: string;
  idempotencyKey?: string;
  prevHash: string;
  hash: string;
}

/** A domain event as read back from the log, with both clocks at hand. */
export interface RecordedDomainEvent<E extends DomainEvent = DomainEvent> {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  type: E['type'];
  data: E['data'];
  metadata: DomainEventMetadata;
}

/** The valid-time date of a fact (`asOf` compares with it); amendments take their target's date. */
export const effectiveDateOf = (event: DomainEvent): string | undefined => {
  switch (event.type) {
    case 'CompanyRegistered':
    case 'FactCorrected':
    case 'FactRetracted':
      return undefined;
    case 'CompanyRenamed':
      return event.data.renamedOn;
    case 'FinancingRoundClosed':
      return event.data.closedOn;
    case 'CapacityAnnounced':
      return event.data.announcedOn;
    case 'PlantConstructionStarted':
      return event.data.startedOn;
    case 'PlantCommissioned':
      return event.data.commissionedOn;
    case 'PlantCapacityRevised':
      return event.data.revisedOn;
    case 'PlantSuspended':
    case 'PlantResumed':
    case 'PlantCancelled':
    case 'StandardRegistered':
    case 'StandardStageChanged':
      return event.data.on;
    case 'TariffMeasureImposed':
    case 'TariffRateChanged':
    case 'TariffMeasureRevoked':
      return event.data.effectiveFrom;
    case 'TechnologyRouteRegistered':
      return undefined;
    case 'TechnologyMilestoneReached':
      return event.data.achievedOn;
  }
};
