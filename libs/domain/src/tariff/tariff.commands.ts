import { TariffMeasureImposed, TariffProduct } from './tariff.events';

/** Imposes one legal component of a tariff. */
export type ImposeTariffMeasure = { kind: 'tariff-measure' } & TariffMeasureImposed['data'];

/** Changes a measure's rate from a date, optionally for some of its products only. */
export interface ChangeTariffRate {
  kind: 'tariff-rate-change';
  measureId: string;
  ratePercent: number;
  effectiveFrom: string;
  products?: TariffProduct[];
}

export interface RevokeTariffMeasure {
  kind: 'tariff-revocation';
  measureId: string;
  effectiveFrom: string;
}

export type TariffCommand = ImposeTariffMeasure | ChangeTariffRate | RevokeTariffMeasure;
