/**
 * Example answers for the OpenAPI document, built from the facts of the seed articles
 * (shared/domain/seeds): Xinjie Energy's and Luochu's solid-state lines, Taland's financing, the
 * solid-state standard, the US tariffs on Chinese Li-ion batteries.
 */
const echo = { asOf: '2025-12-31', knownAt: '2026-01-05T00:00:00Z', position: 42 };

const zeroes = { operationalGwh: 0, underConstructionGwh: 0, announcedGwh: 0, pipelineGwh: 0, suspendedGwh: 0, cancelledGwh: 0 };

const xinjie = {
  companyId: 'xinjie-energy',
  name: 'Xinjie Energy',
  headquartersCountry: 'CN',
  ...zeroes,
  operationalGwh: 2,
  byRoute: { 'lithium-metal': { ...zeroes, operationalGwh: 2 } },
  byCountry: { CN: { ...zeroes, operationalGwh: 2 } },
};

export const COMPANY_CAPACITY_EXAMPLE = {
  ...echo,
  companies: [xinjie],
  totals: { ...zeroes, operationalGwh: 2, byRoute: xinjie.byRoute, byCountry: xinjie.byCountry },
};

export const ONE_COMPANY_CAPACITY_EXAMPLE = {
  ...echo,
  ...xinjie,
  plants: [
    {
      plantId: 'xinjie-energy-solid-state-line',
      name: 'Xinjie Energy solid-state lithium-metal line',
      country: 'CN',
      technologyRoute: 'lithium-metal',
      status: 'operational',
      plannedGwh: 2,
      commissionedGwh: 2,
    },
  ],
};

export const CAPACITY_TIMELINE_EXAMPLE = {
  companyId: 'luochu-technology',
  from: '2025-07-01',
  to: '2025-12-31',
  interval: 'quarter',
  ...echo,
  points: [
    { asOf: '2025-09-30', ...zeroes },
    { asOf: '2025-12-31', ...zeroes, underConstructionGwh: 2, pipelineGwh: 2 },
  ],
};

export const OVERSEAS_EXPANSION_EXAMPLE = {
  ...echo,
  companies: [
    {
      companyId: 'catl',
      name: 'CATL',
      headquartersCountry: 'CN',
      domesticOperationalGwh: 60,
      overseasOperationalGwh: 14,
      domesticPipelineGwh: 0,
      overseasPipelineGwh: 100,
      overseasShare: 0.189189,
      countries: [
        { country: 'DE', operationalGwh: 14, pipelineGwh: 0, plantIds: ['catl-erfurt-de'] },
        { country: 'HU', operationalGwh: 0, pipelineGwh: 100, plantIds: ['catl-debrecen-hu'] },
      ],
    },
  ],
  totals: { domesticOperationalGwh: 60, overseasOperationalGwh: 14, domesticPipelineGwh: 0, overseasPipelineGwh: 100, overseasShare: 0.189189 },
};

const lithiumMetal = {
  routeId: 'lithium-metal',
  family: 'solid-state',
  stage: 'mass-production',
  firstPilotOn: null,
  firstMassProductionOn: '2025-12-28',
  operationalGwh: 2,
  pipelineGwh: 0,
};

export const TECHNOLOGY_ROUTES_EXAMPLE = { ...echo, routes: [lithiumMetal] };

export const ROUTE_TIMELINE_EXAMPLE = {
  ...echo,
  ...lithiumMetal,
  entries: [
    {
      on: '2025-12-28',
      kind: 'commissioning',
      eventId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      companyId: 'xinjie-energy',
      summary: 'xinjie-energy-solid-state-line commissioned 2 GWh',
    },
  ],
  nextCursor: null,
};

export const EFFECTIVE_TARIFF_EXAMPLE = {
  ...echo,
  asOf: '2026-01-01',
  importer: 'US',
  origin: 'CN',
  product: 'ess-battery',
  ratePercent: 82.4,
  measures: [
    { measureId: 'us-cn-li-ion-mfn', measureType: 'mfn', ratePercent: 3.4, effectiveFrom: '2020-01-01', effectiveUntil: null, legalReference: 'HTSUS 8507.60.00' },
    { measureId: 'us-cn-li-ion-301', measureType: 'section-301', ratePercent: 25, effectiveFrom: '2024-09-27', effectiveUntil: null, legalReference: 'Section 301' },
    { measureId: 'us-cn-reciprocal-2025', measureType: 'reciprocal', ratePercent: 54, effectiveFrom: '2025-04-09', effectiveUntil: null, legalReference: 'IEEPA' },
  ],
};

const solidStateStandard = {
  standardId: 'cn-gb-ssb-ev',
  title: 'Solid-State Batteries for Electric Vehicles',
  issuer: 'MIIT',
  jurisdiction: 'CN',
  code: null,
  technologyRoutes: ['solid-state-sulphide', 'solid-state-oxide'],
  stage: 'public-comment',
  stages: [
    { stage: 'drafting', on: '2025-06-01' },
    { stage: 'public-comment', on: '2025-12-29' },
  ],
};

export const STANDARDS_EXAMPLE = { ...echo, standards: [solidStateStandard] };

export const ONE_STANDARD_EXAMPLE = { ...echo, ...solidStateStandard };

export const FINANCING_ROUNDS_EXAMPLE = {
  ...echo,
  rounds: [
    {
      eventId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      roundId: 'taland-2025-12',
      companyId: 'taland-new-energy',
      roundType: 'strategic',
      roundLabel: null,
      amount: { value: 400_000_000, currency: 'CNY', qualifier: 'at-least' },
      closedOn: '2025-12-30',
      investors: [],
      technologyRoutes: ['solid-state-oxide', 'solid-state-polymer'],
    },
  ],
  totals: [{ currency: 'CNY', value: 400_000_000, rounds: 1, qualifier: 'at-least' }],
};
