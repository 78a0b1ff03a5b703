import { TestApp } from '../support/test-app';

/**
 * Facts from the seed articles (shared/domain/seeds) as `/v1/batch` items. Where an article gives no
 * date or figure a test needs, the value is marked as illustrative.
 */
export const WEEKLY = { publisher: 'SMM', title: 'Solid-state battery weekly review, December 26-31, 2025', publishedOn: '2026-01-02' };
export const ALTERNATIVE_BATTERIES = { publisher: 'Dialogue Earth', title: 'Where does China stand in the global race for alternative EV batteries?', publishedOn: '2024-07-01' };
export const CLNB_2025 = { publisher: 'SMM', title: "CLNB 2025: current status and trends of China's lithium-ion battery industry" };

export type BatchItem = { kind: string } & Record<string, unknown>;

export interface Recorded {
  eventId: string;
  position: number;
  recordedAt: string;
}

export const company = (companyId: string, name: string, headquartersCountry = 'CN', source: object = WEEKLY): BatchItem => ({
  kind: 'company',
  companyId,
  name,
  headquartersCountry,
  source,
});

export const announcement = (fields: {
  plantId: string;
  companyId: string;
  country: string;
  technologyRoute: string;
  plannedCapacityGwh: number;
  announcedOn: string;
  status?: 'announced' | 'under-construction';
  name?: string;
  region?: string;
}, source: object = WEEKLY): BatchItem => ({ kind: 'capacity-announcement', ...fields, source });

export const constructionStart = (plantId: string, startedOn: string, source: object = WEEKLY): BatchItem => ({ kind: 'construction-start', plantId, startedOn, source });

export const commissioning = (plantId: string, commissionedOn: string, capacityGwh: number, source: object = WEEKLY): BatchItem => ({
  kind: 'commissioning',
  plantId,
  commissionedOn,
  capacityGwh,
  source,
});

/** Records the items in one batch and insists every one was accepted; results in item order. */
export const recordAll = async (app: TestApp, items: BatchItem[]): Promise<Recorded[]> => {
  const response = await app.http().post('/v1/batch').set(app.auth('integrator')).send({ items });
  const refused = (response.body.results ?? []).filter((result: { status: number }) => result.status !== 201);
  if (response.status >= 300 || refused.length > 0) throw new Error(`batch refused (${response.status}): ${JSON.stringify(refused.length > 0 ? refused : response.body)}`);
  return response.body.results as Recorded[];
};

/** Records one fact through its own endpoint (corrections, retractions), insisting on 201. */
export const recordOne = async (app: TestApp, path: string, body: object): Promise<Recorded> => {
  const response = await app.http().post(path).set(app.auth('integrator')).send(body);
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body as Recorded;
};

/** So that a later write's recordedAt is strictly after every instant an earlier answer was asked for. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

/** An analyst's GET with query parameters. */
export const read = (app: TestApp, path: string, query: Record<string, string | number> = {}) => app.http().get(path).query(query).set(app.auth('analyst'));
