import { isSlug } from '@bsc/domain';
import type { DomainCommand, DomainEventType, Source } from '@bsc/domain';
import type { FieldError } from '../http/problem';
import { validateRequest } from '../http/request-validation';
import { CorrectFactRequest } from './amendments/correct-fact.request.dto';
import { RetractFactRequest } from './amendments/retract-fact.request.dto';
import { RegisterCompanyFields, RegisterCompanyRequest } from './companies/register-company.request.dto';
import { RenameCompanyFields, RenameCompanyRequest } from './companies/rename-company.request.dto';
import { CloseFinancingRoundFields, CloseFinancingRoundRequest } from './financing-rounds/close-financing-round.request.dto';
import { AnnounceCapacityFields, AnnounceCapacityRequest } from './plants/announce-capacity.request.dto';
import { CommissionPlantFields, CommissionPlantRequest } from './plants/commission-plant.request.dto';
import { PlantStatusChangeFields, PlantStatusChangeRequest } from './plants/plant-status-change.request.dto';
import { ReviseCapacityFields, ReviseCapacityRequest } from './plants/revise-capacity.request.dto';
import { StartConstructionFields, StartConstructionRequest } from './plants/start-construction.request.dto';
import { IsSlug, SLUG_RULE } from './shared/validators';
import { ChangeStandardStageFields, ChangeStandardStageRequest } from './standards/change-standard-stage.request.dto';
import { RegisterStandardFields, RegisterStandardRequest } from './standards/register-standard.request.dto';
import { ChangeTariffRateFields, ChangeTariffRateRequest } from './tariffs/change-tariff-rate.request.dto';
import { ImposeTariffMeasureFields, ImposeTariffMeasureRequest } from './tariffs/impose-tariff-measure.request.dto';
import { RevokeTariffMeasureFields, RevokeTariffMeasureRequest } from './tariffs/revoke-tariff-measure.request.dto';
import { RecordMilestoneFields, RecordMilestoneRequest } from './technology-routes/record-milestone.request.dto';
import { RegisterRouteFields, RegisterRouteRequest } from './technology-routes/register-route.request.dto';

/**
 * Every kind of single fact a client can record, in the order the contract lists them, plus the two the
 * contract reaches only by path (`company-rename`) or as admin (`technology-route`).
 */
export const BATCH_KINDS = [
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
  'company-rename',
  'technology-route',
] as const satisfies readonly DomainCommand['kind'][];

export type BatchKind = (typeof BATCH_KINDS)[number];

/** A request body: its own fields plus the provenance every write carries. */
export type RequestBody = object & { source: Source };

export interface RequestKind {
  /** The body DTO the single endpoint validates with; a batch item is validated with the same one. */
  dto: new () => RequestBody;
  /** Ids that the single endpoint takes from the path and a batch item carries as fields. */
  pathParams: readonly string[];
  access: 'write' | 'admin';
}

export const REQUEST_KINDS: Readonly<Record<BatchKind, RequestKind>> = {
  company: { dto: RegisterCompanyRequest, pathParams: [], access: 'write' },
  'capacity-announcement': { dto: AnnounceCapacityRequest, pathParams: [], access: 'write' },
  'construction-start': { dto: StartConstructionRequest, pathParams: ['plantId'], access: 'write' },
  commissioning: { dto: CommissionPlantRequest, pathParams: ['plantId'], access: 'write' },
  'capacity-revision': { dto: ReviseCapacityRequest, pathParams: ['plantId'], access: 'write' },
  suspension: { dto: PlantStatusChangeRequest, pathParams: ['plantId'], access: 'write' },
  resumption: { dto: PlantStatusChangeRequest, pathParams: ['plantId'], access: 'write' },
  cancellation: { dto: PlantStatusChangeRequest, pathParams: ['plantId'], access: 'write' },
  'financing-round': { dto: CloseFinancingRoundRequest, pathParams: [], access: 'write' },
  standard: { dto: RegisterStandardRequest, pathParams: [], access: 'write' },
  'standard-stage': { dto: ChangeStandardStageRequest, pathParams: ['standardId'], access: 'write' },
  'tariff-measure': { dto: ImposeTariffMeasureRequest, pathParams: [], access: 'write' },
  'tariff-rate-change': { dto: ChangeTariffRateRequest, pathParams: ['measureId'], access: 'write' },
  'tariff-revocation': { dto: RevokeTariffMeasureRequest, pathParams: ['measureId'], access: 'write' },
  'technology-milestone': { dto: RecordMilestoneRequest, pathParams: [], access: 'write' },
  correction: { dto: CorrectFactRequest, pathParams: [], access: 'write' },
  retraction: { dto: RetractFactRequest, pathParams: [], access: 'write' },
  'company-rename': { dto: RenameCompanyRequest, pathParams: ['companyId'], access: 'write' },
  'technology-route': { dto: RegisterRouteRequest, pathParams: [], access: 'admin' },
};

export const isBatchKind = (value: unknown): value is BatchKind =>
  typeof value === 'string' && Object.hasOwn(REQUEST_KINDS, value);

/** Validated DTOs are class instances with `undefined` for absent optionals; commands are plain JSON data. */
const plain = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  // A loop, not entries/filter/fromEntries: every batch item passes here, and those arrays were garbage.
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) copy[key] = plain(field);
  }
  return copy;
};

/**
 * The domain command for a validated body: `{ kind, ...pathIds, ...body }` without `source`, which
 * travels beside the command into the event's metadata.
 *
 * @example toCommand('commissioning', { commissionedOn: '2025-12-31', capacityGwh: 2, source }, { plantId: 'xinjie-energy-solid-state-line' })
 *   // → { command: { kind: 'commissioning', plantId: 'xinjie-energy-solid-state-line', commissionedOn: '2025-12-31', capacityGwh: 2 }, source }
 */
export const toCommand = (
  kind: BatchKind,
  body: RequestBody,
  pathIds: Readonly<Record<string, string>> = {},
): { command: DomainCommand; source: Source } => {
  const { source, ...fields } = body;
  return {
    command: plain({ kind, ...pathIds, ...fields }) as DomainCommand,
    source: plain(source) as Source,
  };
};

export type ValidatedBatchItem =
  | { ok: true; kind: BatchKind; command: DomainCommand; source: Source }
  | { ok: false; errors: FieldError[] };

/**
 * Checks one batch (or CLI import) item `{ kind, ...pathIds, ...body }` exactly as its single endpoint
 * would: path ids as slugs, the rest with the kind's DTO through the shared validation path.
 */
export const validateBatchItem = async (item: unknown): Promise<ValidatedBatchItem> => {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return { ok: false, errors: [{ field: '(item)', message: 'must be a JSON object' }] };
  }
  const { kind, ...rest } = item as Record<string, unknown>;
  if (!isBatchKind(kind)) {
    return { ok: false, errors: [{ field: 'kind', message: `must be one of: ${BATCH_KINDS.join(', ')}` }] };
  }
  const { dto, pathParams } = REQUEST_KINDS[kind];
  const pathIds: Record<string, string> = {};
  const body: Record<string, unknown> = { ...rest };
  const errors: FieldError[] = [];
  for (const param of pathParams) {
    const id = body[param];
    delete body[param];
    if (isSlug(id)) pathIds[param] = id;
    else errors.push({ field: param, message: id === undefined ? `is required: ${SLUG_RULE}` : SLUG_RULE });
  }
  const validated = await validateRequest(dto, body);
  if (!validated.ok) errors.push(...validated.errors);
  if (!validated.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, kind, ...toCommand(kind, validated.value, pathIds) };
};

type CorrectableEventType = Exclude<DomainEventType, 'FactCorrected' | 'FactRetracted'>;

export interface EventDataValidation {
  kind: BatchKind;
  /** Validates a whole event `data` object: the request fields without `source`, plus the path ids. */
  dto: new () => object;
}

/** A DTO for an event's data: the request's fields (no `source`, which is metadata) plus its path ids. */
const eventData = (kind: BatchKind, fields: new () => object): EventDataValidation => {
  const EventData = class extends fields {};
  for (const param of REQUEST_KINDS[kind].pathParams) IsSlug()(EventData.prototype, param);
  Object.defineProperty(EventData, 'name', { value: fields.name.replace(/Fields$/, 'EventData') });
  return { kind, dto: EventData };
};

/**
 * For each correctable event type, the kind it is recorded with and a DTO for its data, so a correction is
 * checked by merging `changes` into the original data and validating the result with `validateRequest`.
 */
export const DTO_FOR_EVENT_TYPE: Readonly<Record<string, EventDataValidation>> = {
  CompanyRegistered: eventData('company', RegisterCompanyFields),
  CompanyRenamed: eventData('company-rename', RenameCompanyFields),
  FinancingRoundClosed: eventData('financing-round', CloseFinancingRoundFields),
  CapacityAnnounced: eventData('capacity-announcement', AnnounceCapacityFields),
  PlantConstructionStarted: eventData('construction-start', StartConstructionFields),
  PlantCommissioned: eventData('commissioning', CommissionPlantFields),
  PlantCapacityRevised: eventData('capacity-revision', ReviseCapacityFields),
  PlantSuspended: eventData('suspension', PlantStatusChangeFields),
  PlantResumed: eventData('resumption', PlantStatusChangeFields),
  PlantCancelled: eventData('cancellation', PlantStatusChangeFields),
  StandardRegistered: eventData('standard', RegisterStandardFields),
  StandardStageChanged: eventData('standard-stage', ChangeStandardStageFields),
  TariffMeasureImposed: eventData('tariff-measure', ImposeTariffMeasureFields),
  TariffRateChanged: eventData('tariff-rate-change', ChangeTariffRateFields),
  TariffMeasureRevoked: eventData('tariff-revocation', RevokeTariffMeasureFields),
  TechnologyMilestoneReached: eventData('technology-milestone', RecordMilestoneFields),
  TechnologyRouteRegistered: eventData('technology-route', RegisterRouteFields),
} satisfies Record<CorrectableEventType, EventDataValidation>;
