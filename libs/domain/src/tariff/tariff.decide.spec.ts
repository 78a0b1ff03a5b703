import { InvalidValue, NotFound, RuleViolated } from '../shared/domain-errors';
import { specFor } from '../testing/given-when-then';
import { ChangeTariffRate, ImposeTariffMeasure, RevokeTariffMeasure } from './tariff.commands';
import { tariffDecider } from './tariff.decide';
import { TariffMeasureImposed, TariffMeasureRevoked, TariffRateChanged } from './tariff.events';

const given = specFor(tariffDecider);
const measureId = 'us-cn-li-ion-301';

const impose: ImposeTariffMeasure = {
  kind: 'tariff-measure',
  measureId,
  importer: 'US',
  origin: 'CN',
  products: ['ess-battery', 'consumer-battery'],
  measureType: 'section-301',
  ratePercent: 7.5,
  effectiveFrom: '2019-09-01',
  announcedOn: '2019-08-13',
};
const imposed: TariffMeasureImposed = {
  type: 'TariffMeasureImposed',
  data: {
    measureId,
    importer: 'US',
    origin: 'CN',
    products: ['ess-battery', 'consumer-battery'],
    measureType: 'section-301',
    ratePercent: 7.5,
    effectiveFrom: '2019-09-01',
    announcedOn: '2019-08-13',
  },
};
const rateChange: ChangeTariffRate = { kind: 'tariff-rate-change', measureId, ratePercent: 25, effectiveFrom: '2026-01-01' };
const rateChanged: TariffRateChanged = {
  type: 'TariffRateChanged',
  data: { measureId, ratePercent: 25, effectiveFrom: '2026-01-01' },
};
const revocation: RevokeTariffMeasure = { kind: 'tariff-revocation', measureId, effectiveFrom: '2027-01-01' };
const revoked: TariffMeasureRevoked = { type: 'TariffMeasureRevoked', data: { measureId, effectiveFrom: '2027-01-01' } };

describe('tariff decider', () => {
  describe('imposition', () => {
    it('imposes a measure', () => given([]).when(impose).then([imposed]));

    it('imposes a measure with an end date', () =>
      given([])
        .when({ ...impose, effectiveUntil: '2029-10-30', legalReference: 'OJ L 2024/2754' })
        .then([{ ...imposed, data: { ...imposed.data, effectiveUntil: '2029-10-30', legalReference: 'OJ L 2024/2754' } }]));

    it('refuses to impose a measure twice', () => given([imposed]).when(impose).thenThrows(RuleViolated, /already imposed/));

    it.each(['2019-09-01', '2019-08-31'])('refuses effectiveUntil %s, not after effectiveFrom', (until) =>
      given([]).when({ ...impose, effectiveUntil: until }).thenThrows(InvalidValue, /effectiveUntil/));

    it.each([-0.1, 1000.5])('refuses a rate of %p %', (rate) =>
      given([]).when({ ...impose, ratePercent: rate }).thenThrows(InvalidValue, /ratePercent/));

    it.each([0, 1000])('accepts a rate of %p %', (rate) =>
      given([]).when({ ...impose, ratePercent: rate }).then([{ ...imposed, data: { ...imposed.data, ratePercent: rate } }]));
  });

  describe('rate change', () => {
    it('changes the rate of a measure', () => given([imposed]).when(rateChange).then([rateChanged]));

    it('changes the rate for some of its products', () =>
      given([imposed])
        .when({ ...rateChange, products: ['ess-battery'] })
        .then([{ ...rateChanged, data: { ...rateChanged.data, products: ['ess-battery'] } }]));

    it('refuses a change of an unknown measure', () =>
      given([]).when(rateChange).thenThrows(NotFound, /tariff measure us-cn-li-ion-301/));

    it('refuses products the measure does not cover', () =>
      given([imposed])
        .when({ ...rateChange, products: ['ess-battery', 'ev-battery'] })
        .thenThrows(InvalidValue, /products: ev-battery/));

    it('refuses a change effective before the measure', () =>
      given([imposed]).when({ ...rateChange, effectiveFrom: '2019-08-31' }).thenThrows(RuleViolated, /before the measure/));

    it('refuses a change effective once the measure has ended', () =>
      given([{ ...imposed, data: { ...imposed.data, effectiveUntil: '2024-09-01' } }])
        .when({ ...rateChange, effectiveFrom: '2024-09-01' })
        .thenThrows(RuleViolated, /ended/));

    it.each(['2027-01-01', '2027-06-01'])('refuses a change effective on %s, on or after the revocation', (from) =>
      given([imposed, revoked]).when({ ...rateChange, effectiveFrom: from }).thenThrows(RuleViolated, /revoked/));

    it('accepts a change effective before a later revocation', () =>
      given([imposed, revoked]).when(rateChange).then([rateChanged]));

    it('refuses a rate above 1000 %', () =>
      given([imposed]).when({ ...rateChange, ratePercent: 1001 }).thenThrows(InvalidValue, /ratePercent/));
  });

  describe('revocation', () => {
    it('revokes a measure', () => given([imposed, rateChanged]).when(revocation).then([revoked]));

    it('refuses to revoke an unknown measure', () =>
      given([]).when(revocation).thenThrows(NotFound, /tariff measure us-cn-li-ion-301/));

    it('refuses to revoke twice', () =>
      given([imposed, revoked]).when({ ...revocation, effectiveFrom: '2028-01-01' }).thenThrows(RuleViolated, /already revoked/));

    it('refuses a revocation effective before the measure', () =>
      given([imposed]).when({ ...revocation, effectiveFrom: '2019-01-01' }).thenThrows(RuleViolated, /before the measure/));
  });
});
