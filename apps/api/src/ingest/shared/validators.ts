import { isCountry, isCurrency, isIsoDate, isJurisdiction, isPartialDate, isSlug } from '@bsc/domain';
import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Wraps a domain value check as a class-validator decorator, so the edge refuses exactly what the domain
 * would. Messages omit the property name: each error is reported with its `field` beside it.
 */
const domainCheck = (name: string, check: (value: unknown) => boolean, rule: string) =>
  (options?: ValidationOptions): PropertyDecorator =>
    ValidateBy(
      {
        name,
        validator: {
          validate: (value: unknown) => check(value),
          defaultMessage: () => (options?.each ? `each value ${rule}` : rule),
        },
      },
      options,
    );

export const SLUG_RULE = 'must be a lower-case slug: 2-80 characters a-z, 0-9 and "-", not starting with "-", e.g. xinjie-energy';
export const COUNTRY_RULE = 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. CN';
export const JURISDICTION_RULE = 'must be an ISO 3166-1 alpha-2 country code in upper case or EU, e.g. US';
export const CURRENCY_RULE = 'must be an ISO 4217 currency code in upper case, e.g. CNY';
export const DATE_RULE = 'must be a date YYYY-MM-DD';
export const PARTIAL_DATE_RULE = 'must be a partial date: 2027, 2027-H2, 2027-Q3, 2027-09 or 2027-09-30';
export const ROUTE_ID_RULE = 'must be a technology route id (a lower-case slug such as lfp, sodium-ion or semi-solid)';

/** Integrator-chosen ids (`catl`, `catl-debrecen-hu`). */
export const IsSlug = domainCheck('isSlug', isSlug, SLUG_RULE);

export const IsCountryCode = domainCheck('isCountryCode', isCountry, COUNTRY_RULE);

/** A country or `EU`, where an importing or issuing jurisdiction is meant. */
export const IsJurisdiction = domainCheck('isJurisdiction', isJurisdiction, JURISDICTION_RULE);

export const IsCurrencyCode = domainCheck('isCurrencyCode', isCurrency, CURRENCY_RULE);

/** A real calendar day: 2025-02-30 is refused. */
export const IsIsoDate = domainCheck('isIsoDate', isIsoDate, DATE_RULE);

export const IsPartialDate = domainCheck('isPartialDate', isPartialDate, PARTIAL_DATE_RULE);

/**
 * Format only: admins extend the route catalogue with events, so whether a route exists is the domain's
 * question (answered with 422), not the edge's.
 */
export const IsKnownRouteId = domainCheck('isKnownRouteId', isSlug, ROUTE_ID_RULE);
