/** The four families of the domain, plus `other` for routes that fit none. */
export type RouteFamily = 'liquid-lithium' | 'sodium' | 'solid-state' | 'anode' | 'other';
export const ROUTE_FAMILIES: readonly RouteFamily[] = ['liquid-lithium', 'sodium', 'solid-state', 'anode', 'other'];

/** The built-in catalogue; admins extend it with `TechnologyRouteRegistered`. */
export const BUILT_IN_ROUTES: Readonly<Record<string, RouteFamily>> = {
  lfp: 'liquid-lithium',
  lmfp: 'liquid-lithium',
  nmc: 'liquid-lithium',
  nca: 'liquid-lithium',
  lmo: 'liquid-lithium',
  lco: 'liquid-lithium',
  'sodium-ion': 'sodium',
  'semi-solid': 'solid-state',
  'solid-state-sulphide': 'solid-state',
  'solid-state-oxide': 'solid-state',
  'solid-state-polymer': 'solid-state',
  'solid-state-halide': 'solid-state',
  'lithium-metal': 'solid-state',
  'anode-free': 'anode',
  'silicon-anode': 'anode',
  other: 'other',
};

export const isBuiltInRoute = (routeId: string): boolean => Object.hasOwn(BUILT_IN_ROUTES, routeId);
