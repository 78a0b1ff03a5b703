import { isBuiltInRoute } from './technology-routes';

/**
 * The other entities a command refers to that the application found in the store before deciding.
 * Deciders are pure, so they cannot look anything up: the application asks the catalogue's
 * `references(command)` which ids to check and fills this with the ones that exist.
 *
 * @example
 * const known: KnownReferences = { companies: new Set(['catl']), routes: new Set(['lfp', 'my-new-route']) };
 */
export interface KnownReferences {
  /** Referenced company ids whose `company-<id>` stream holds a registration. */
  companies: ReadonlySet<string>;
  /** Referenced route ids that exist, built-in or registered. */
  routes: ReadonlySet<string>;
}

/** The ids a command refers to, for the application to look up and report back as {@link KnownReferences}. */
export interface ReferenceIds {
  companies: string[];
  routes: string[];
}

/** Nothing known: for commands that reference nothing, and for tests. */
export const NO_KNOWN_REFERENCES: KnownReferences = { companies: new Set(), routes: new Set() };

/** Builds {@link KnownReferences} from any iterables. */
export const knownReferences = (
  known: { companies?: Iterable<string>; routes?: Iterable<string> } = {},
): KnownReferences => ({ companies: new Set(known.companies ?? []), routes: new Set(known.routes ?? []) });

/** Built-in routes always count as known, so a caller that forgets to list them cannot break a decision. */
export const isKnownRoute = (routeId: string, known: KnownReferences): boolean =>
  isBuiltInRoute(routeId) || known.routes.has(routeId);

/**
 * A pure aggregate: fold history with `evolve` from `initialState`, then `decide` which events a command adds.
 * `Input` is what `evolve` folds: the aggregate's `{ type, data }` events, or recorded events for amendments.
 */
export interface Decider<Command, State, Event, Input = Event> {
  initialState: State;
  evolve: (state: State, event: Input) => State;
  decide: (command: Command, state: State, known: KnownReferences) => Event[];
}

/**
 * Drops keys whose value is `undefined`, so an absent optional field is absent from the stored event
 * (the hash chain serialises data canonically, and `{ a: undefined }` and `{}` must not differ).
 */
export const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
