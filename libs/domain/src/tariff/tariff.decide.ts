import { Decider, KnownReferences, withoutUndefined } from '../shared/decider';
import { InvalidValue, NotFound, RuleViolated } from '../shared/domain-errors';
import { MAX_TARIFF_RATE_PERCENT } from '../shared/values';
import { ChangeTariffRate, ImposeTariffMeasure, RevokeTariffMeasure, TariffCommand } from './tariff.commands';
import { TariffEvent } from './tariff.events';
import { evolveTariff, initialTariffState, TariffState } from './tariff.state';

const requireRate = (ratePercent: number): void => {
  if (!(ratePercent >= 0 && ratePercent <= MAX_TARIFF_RATE_PERCENT)) {
    throw new InvalidValue('ratePercent', `must be between 0 and ${MAX_TARIFF_RATE_PERCENT}`);
  }
};

const requireImposed = (measureId: string, measure: TariffState): { effectiveFrom: string } => {
  if (!measure.imposed || measure.effectiveFrom === undefined) throw new NotFound(`tariff measure ${measureId}`);
  return { effectiveFrom: measure.effectiveFrom };
};

const impose = (command: ImposeTariffMeasure, measure: TariffState): TariffEvent[] => {
  if (measure.imposed) throw new RuleViolated(`tariff measure ${command.measureId} is already imposed`);
  if (command.effectiveUntil !== undefined && command.effectiveUntil <= command.effectiveFrom) {
    throw new InvalidValue('effectiveUntil', `must be after effectiveFrom (${command.effectiveFrom})`);
  }
  requireRate(command.ratePercent);
  const { kind: _kind, ...data } = command;
  return [{ type: 'TariffMeasureImposed', data: withoutUndefined(data) }];
};

const changeRate = (command: ChangeTariffRate, measure: TariffState): TariffEvent[] => {
  const { effectiveFrom } = requireImposed(command.measureId, measure);
  requireRate(command.ratePercent);
  const outside = command.products?.find((product) => !measure.products.includes(product));
  if (outside !== undefined) {
    throw new InvalidValue('products', `${outside} is not covered by tariff measure ${command.measureId}`);
  }
  if (command.effectiveFrom < effectiveFrom) {
    throw new RuleViolated(`a rate change before the measure takes effect (${effectiveFrom}) is refused`);
  }
  if (measure.effectiveUntil !== undefined && command.effectiveFrom >= measure.effectiveUntil) {
    throw new RuleViolated(`a rate change once the measure has ended (${measure.effectiveUntil}) is refused`);
  }
  if (measure.revokedFrom !== undefined && command.effectiveFrom >= measure.revokedFrom) {
    throw new RuleViolated(`a rate change once the measure is revoked (${measure.revokedFrom}) is refused`);
  }
  const { kind: _kind, ...data } = command;
  return [{ type: 'TariffRateChanged', data: withoutUndefined(data) }];
};

const revoke = (command: RevokeTariffMeasure, measure: TariffState): TariffEvent[] => {
  const { effectiveFrom } = requireImposed(command.measureId, measure);
  if (measure.revokedFrom !== undefined) throw new RuleViolated(`tariff measure ${command.measureId} is already revoked`);
  if (command.effectiveFrom < effectiveFrom) {
    throw new RuleViolated(`a revocation before the measure takes effect (${effectiveFrom}) is refused`);
  }
  const { measureId } = command;
  return [{ type: 'TariffMeasureRevoked', data: { measureId, effectiveFrom: command.effectiveFrom } }];
};

/**
 * Decides what a tariff command adds to `tariff-<measureId>`.
 *
 * @throws RuleViolated for a second imposition or revocation, or a change dated outside the measure's life
 * @throws NotFound for a rate change or revocation of a measure never imposed
 * @throws InvalidValue for `effectiveUntil` not after `effectiveFrom`, a rate outside 0–1000 %, or products
 *   the measure does not cover
 */
export const decideTariff = (command: TariffCommand, state: TariffState, _known: KnownReferences): TariffEvent[] => {
  switch (command.kind) {
    case 'tariff-measure':
      return impose(command, state);
    case 'tariff-rate-change':
      return changeRate(command, state);
    case 'tariff-revocation':
      return revoke(command, state);
  }
};

/** The tariff measure aggregate as one value. */
export const tariffDecider: Decider<TariffCommand, TariffState, TariffEvent> = {
  initialState: initialTariffState,
  evolve: evolveTariff,
  decide: decideTariff,
};
