/**
 * Valid request bodies for every write endpoint, built from the facts in shared/domain/seeds (solid-state
 * weekly of 26-31 December 2025, CLNB 2025 talk, Dialogue Earth 2024). Ids are parameters so that each
 * test can write its own aggregates into a shared app without colliding.
 */
import { randomBytes } from 'node:crypto';

export const WEEKLY = {
  publisher: 'SMM',
  title: 'Solid-state battery weekly review, December 26-31, 2025',
  url: 'https://news.metal.com',
  publishedOn: '2026-01-02',
};

export const CLNB = {
  publisher: 'SMM',
  title: "CLNB 2025: current status and trends of China's lithium-ion battery industry",
  url: 'https://news.metal.com',
};

/** A fresh slug with a readable prefix: `xinjie-energy-3f9a1c`. */
export const uniqueId = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export const companyBody = (companyId: string) => ({
  companyId,
  name: 'Xinjie Energy',
  headquartersCountry: 'CN',
  aliases: [],
  segments: ['robotics', 'drones', 'consumer-electronics'],
  source: WEEKLY,
});

export const announcementBody = (plantId: string, companyId: string) => ({
  plantId,
  companyId,
  country: 'CN',
  technologyRoute: 'semi-solid',
  plannedCapacityGwh: 2,
  announcedOn: '2025-12-01',
  status: 'announced',
  name: 'Luochu Technology semi-solid-state battery line',
  targetOn: '2026-H2',
  partners: [],
  source: WEEKLY,
});

export const constructionStartBody = (startedOn = '2025-12-29') => ({ startedOn, source: WEEKLY });

export const commissioningBody = (capacityGwh = 2, commissionedOn = '2025-12-31') => ({
  commissionedOn,
  capacityGwh,
  phase: 'GWh-level solid-state lithium-metal line',
  source: WEEKLY,
});

export const capacityRevisionBody = () => ({
  plannedCapacityGwh: 4,
  revisedOn: '2025-12-30',
  reason: 'Reported as a 2 GWh line in mass production, with a second phase planned.',
  source: WEEKLY,
});

export const statusChangeBody = (on = '2026-01-01') => ({ on, reason: 'Low capacity utilisation amid intense competition.', source: CLNB });

export const financingRoundBody = (roundId: string, companyId: string) => ({
  roundId,
  companyId,
  roundType: 'other',
  roundLabel: 'strategic',
  amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
  closedOn: '2025-12-31',
  investors: [],
  technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
  source: WEEKLY,
});

export const standardBody = (standardId: string, stage = 'drafting') => ({
  standardId,
  title: 'Solid-State Batteries for Electric Vehicles',
  issuer: 'MIIT',
  jurisdiction: 'CN',
  technologyRoutes: ['solid-state-sulphide', 'solid-state-oxide'],
  stage,
  on: '2025-12-01',
  requirements: [{ metric: 'specific-energy', operator: '>=', value: 350, unit: 'Wh/kg' }],
  source: WEEKLY,
});

export const standardStageBody = (stage = 'public-comment', on = '2025-12-31') => ({ stage, on, source: WEEKLY });

export const tariffMeasureBody = (measureId: string) => ({
  measureId,
  importer: 'EU',
  origin: 'CN',
  products: ['bev'],
  measureType: 'countervailing',
  ratePercent: 35.3,
  effectiveFrom: '2024-10-31',
  effectiveUntil: '2029-10-31',
  announcedOn: '2024-10-29',
  legalReference: 'EU definitive countervailing duty on battery electric vehicles from China (five years)',
  source: CLNB,
});

export const tariffRateChangeBody = () => ({ ratePercent: 30.7, effectiveFrom: '2025-06-01', products: ['bev'], source: CLNB });

export const tariffRevocationBody = () => ({ effectiveFrom: '2029-10-31', source: CLNB });

export const milestoneBody = (milestoneId: string, companyId?: string) => ({
  milestoneId,
  technologyRoute: 'sodium-ion',
  stage: 'lab',
  achievedOn: '2025-12-30',
  description: 'An all-solid-state sodium-ion cell with a layered oxide cathode reached 348.5 Wh/kg.',
  ...(companyId ? { companyId } : {}),
  metrics: [{ name: 'energy-density', value: 348.5, unit: 'Wh/kg' }],
  source: WEEKLY,
});

export const correctionBody = (eventId: string) => ({
  eventId,
  changes: { name: 'Xinjie Energy Technology' },
  reason: 'The weekly names the company in full.',
  source: WEEKLY,
});

export const retractionBody = (eventId: string) => ({
  eventId,
  reason: 'The fact was recorded against the wrong company.',
  source: WEEKLY,
});

export const technologyRouteBody = (routeId: string) => ({ routeId, family: 'sodium', name: 'All-solid-state sodium-ion', source: WEEKLY });
