export const TARIFF_PRODUCTS = ['ev-battery', 'ess-battery', 'consumer-battery', 'battery-materials', 'bev', 'phev'] as const;
export type TariffProduct = (typeof TARIFF_PRODUCTS)[number];

export const MEASURE_TYPES = [
  'mfn',
  'section-301',
  'countervailing',
  'anti-dumping',
  'safeguard',
  'reciprocal',
  'other',
] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];

/** One legal component of a tariff (totals are what the read model computes). */
export interface TariffMeasureImposed {
  type: 'TariffMeasureImposed';
  data: {
    measureId: string;
    importer: string;
    origin: string;
    products: TariffProduct[];
    measureType: MeasureType;
    ratePercent: number;
    effectiveFrom: string;
    /** Exclusive: the measure is in force on days strictly before it. */
    effectiveUntil?: string;
    announcedOn: string;
    legalReference?: string;
  };
}

/** A scheduled or enacted rate change; `products` limits it to some of the measure's products. */
export interface TariffRateChanged {
  type: 'TariffRateChanged';
  data: { measureId: string; ratePercent: number; effectiveFrom: string; products?: TariffProduct[] };
}

export interface TariffMeasureRevoked {
  type: 'TariffMeasureRevoked';
  data: { measureId: string; effectiveFrom: string };
}

export type TariffEvent = TariffMeasureImposed | TariffRateChanged | TariffMeasureRevoked;
