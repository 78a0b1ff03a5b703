import { ISO_COUNTRIES, ISO_CURRENCIES, JURISDICTIONS } from './iso-codes';

/** Integrator-chosen ids: lower-case slugs (`catl`, `catl-debrecen-hu`). */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,79}$/;

export const isSlug = (value: unknown): value is string => typeof value === 'string' && SLUG_PATTERN.test(value);

export const isCountry = (value: unknown): value is string => typeof value === 'string' && ISO_COUNTRIES.has(value);

/** A country, or `EU` where a jurisdiction (importer, standard issuer) is meant. */
export const isJurisdiction = (value: unknown): value is string =>
  typeof value === 'string' && JURISDICTIONS.has(value);

export const isCurrency = (value: unknown): value is string => typeof value === 'string' && ISO_CURRENCIES.has(value);

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written `YYYY-MM-DD` (no 2025-02-30). */
export const isIsoDate = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

const PARTIAL_DATE_PATTERN = /^\d{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$/;

/** Target dates as reported: `2027`, `2027-H2`, `2027-Q3`, `2027-09` or a full date. */
export const isPartialDate = (value: unknown): value is string =>
  typeof value === 'string' && (PARTIAL_DATE_PATTERN.test(value) || isIsoDate(value));

const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 instant with an explicit offset. */
export const isInstant = (value: unknown): value is string =>
  typeof value === 'string' &&
  INSTANT_PATTERN.test(value) &&
  isIsoDate(value.slice(0, 10)) &&
  !Number.isNaN(Date.parse(value));

export const MAX_PLANT_CAPACITY_GWH = 10_000;
export const MAX_TARIFF_RATE_PERCENT = 1_000;

export type AmountQualifier = 'exact' | 'at-least' | 'about' | 'up-to';
export const AMOUNT_QUALIFIERS: readonly AmountQualifier[] = ['exact', 'at-least', 'about', 'up-to'];

/** Money as reported, in its own currency: no silent FX conversion. */
export interface Money {
  value: number;
  currency: string;
  qualifier?: AmountQualifier;
}

/** Provenance: no fact without a source. */
export interface Source {
  publisher: string;
  title?: string;
  url?: string;
  publishedOn?: string;
}
