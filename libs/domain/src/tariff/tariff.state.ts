import { TariffEvent, TariffProduct } from './tariff.events';

/** The measure's scope and validity window, which later changes must stay inside. */
export interface TariffState {
  imposed: boolean;
  products: readonly TariffProduct[];
  effectiveFrom?: string;
  effectiveUntil?: string;
  revokedFrom?: string;
}

export const initialTariffState: TariffState = { imposed: false, products: [] };

/** Folds one tariff event; other types leave the state unchanged. */
export const evolveTariff = (state: TariffState, event: { type: string; data: unknown }): TariffState => {
  const e = event as TariffEvent;
  switch (e.type) {
    case 'TariffMeasureImposed':
      return {
        imposed: true,
        products: e.data.products,
        effectiveFrom: e.data.effectiveFrom,
        effectiveUntil: e.data.effectiveUntil,
      };
    case 'TariffMeasureRevoked':
      return Object.assign({}, state, { revokedFrom: e.data.effectiveFrom });
    default:
      return state;
  }
};
