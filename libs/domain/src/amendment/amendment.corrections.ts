import { DomainEventType, EventOfType } from '../events';

/** Fields that name an aggregate or its stream: correcting them would move a fact, so a retraction is the way. */
export const ID_FIELDS: readonly string[] = [
  'companyId',
  'plantId',
  'standardId',
  'measureId',
  'roundId',
  'milestoneId',
  'routeId',
  'eventId',
];

const fields = <T extends DomainEventType>(...names: (keyof EventOfType<T>['data'] & string)[]): readonly string[] =>
  names;

/**
 * The data fields a `FactCorrected` may change, per target type. Never an id field (see {@link ID_FIELDS}),
 * never a milestone's `technologyRoute` (it names the stream), and nothing of an amendment.
 *
 * @example
 * CORRECTABLE_FIELDS.PlantCommissioned; // ['commissionedOn', 'capacityGwh', 'phase']
 */
export const CORRECTABLE_FIELDS: Readonly<Record<DomainEventType, readonly string[]>> = {
  CompanyRegistered: fields<'CompanyRegistered'>('name', 'headquartersCountry', 'aliases', 'segments'),
  CompanyRenamed: fields<'CompanyRenamed'>('name', 'renamedOn'),
  FinancingRoundClosed: fields<'FinancingRoundClosed'>(
    'roundType',
    'roundLabel',
    'amount',
    'closedOn',
    'investors',
    'technologyRoutes',
  ),
  CapacityAnnounced: fields<'CapacityAnnounced'>(
    'country',
    'region',
    'name',
    'technologyRoute',
    'plannedCapacityGwh',
    'announcedOn',
    'status',
    'targetOn',
    'partners',
  ),
  PlantConstructionStarted: fields<'PlantConstructionStarted'>('startedOn'),
  PlantCommissioned: fields<'PlantCommissioned'>('commissionedOn', 'capacityGwh', 'phase'),
  PlantCapacityRevised: fields<'PlantCapacityRevised'>('plannedCapacityGwh', 'revisedOn', 'reason'),
  PlantSuspended: fields<'PlantSuspended'>('on', 'reason'),
  PlantResumed: fields<'PlantResumed'>('on', 'reason'),
  PlantCancelled: fields<'PlantCancelled'>('on', 'reason'),
  StandardRegistered: fields<'StandardRegistered'>(
    'title',
    'issuer',
    'jurisdiction',
    'code',
    'technologyRoutes',
    'requirements',
    'stage',
    'on',
  ),
  StandardStageChanged: fields<'StandardStageChanged'>('stage', 'on', 'code'),
  TariffMeasureImposed: fields<'TariffMeasureImposed'>(
    'importer',
    'origin',
    'products',
    'measureType',
    'ratePercent',
    'effectiveFrom',
    'effectiveUntil',
    'announcedOn',
    'legalReference',
  ),
  TariffRateChanged: fields<'TariffRateChanged'>('ratePercent', 'effectiveFrom', 'products'),
  TariffMeasureRevoked: fields<'TariffMeasureRevoked'>('effectiveFrom'),
  TechnologyRouteRegistered: fields<'TechnologyRouteRegistered'>('family', 'name'),
  TechnologyMilestoneReached: fields<'TechnologyMilestoneReached'>('stage', 'achievedOn', 'description', 'metrics'),
  FactCorrected: [],
  FactRetracted: [],
};

/**
 * A fact's data as corrected: each correction's `changes` merged over the data, in the order given
 * (later corrections win). Shallow: a corrected object field (`amount`) is replaced whole.
 *
 * @example
 * applyCorrections({ plantId: 'p', capacityGwh: 4 }, [{ changes: { capacityGwh: 2 } }]); // { plantId: 'p', capacityGwh: 2 }
 */
export const applyCorrections = <Data>(data: Data, corrections: readonly { changes: Record<string, unknown> }[]): Data =>
  corrections.reduce<Data>((current, { changes }) => ({ ...current, ...changes }), data);
