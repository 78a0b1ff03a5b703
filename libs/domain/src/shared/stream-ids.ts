/** One stream per aggregate instance, named `<kind>-<id>`. */
export const streamIds = {
  company: (companyId: string) => `company-${companyId}`,
  plant: (plantId: string) => `plant-${plantId}`,
  standard: (standardId: string) => `standard-${standardId}`,
  tariff: (measureId: string) => `tariff-${measureId}`,
  route: (routeId: string) => `route-${routeId}`,
} as const;

export type AggregateKind = keyof typeof streamIds;
