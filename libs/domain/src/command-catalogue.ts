import { AmendmentCommand } from './amendment/amendment.commands';
import { amendmentDecider, routesNamedIn } from './amendment/amendment.decide';
import { AmendmentEvent } from './amendment/amendment.events';
import { AmendableEvent, amendedHistory, AmendmentState } from './amendment/amendment.state';
import { CompanyCommand } from './company/company.commands';
import { decideCompany } from './company/company.decide';
import { evolveCompany, initialCompanyState } from './company/company.state';
import { DomainEvent } from './events';
import { PlantCommand } from './plant/plant.commands';
import { decidePlant } from './plant/plant.decide';
import { evolvePlant, initialPlantState } from './plant/plant.state';
import { Decider, KnownReferences, ReferenceIds } from './shared/decider';
import { AggregateKind, streamIds } from './shared/stream-ids';
import { StandardCommand } from './standard/standard.commands';
import { decideStandard } from './standard/standard.decide';
import { evolveStandard, initialStandardState } from './standard/standard.state';
import { TariffCommand } from './tariff/tariff.commands';
import { decideTariff } from './tariff/tariff.decide';
import { evolveTariff, initialTariffState } from './tariff/tariff.state';
import { TechnologyRouteCommand } from './technology-route/technology-route.commands';
import { decideTechnologyRoute } from './technology-route/technology-route.decide';
import {
  evolveTechnologyRoute,
  initialTechnologyRouteState,
} from './technology-route/technology-route.state';

/** Every command the write side accepts; `kind` is also the REST batch kind. */
export type DomainCommand =
  | CompanyCommand
  | PlantCommand
  | StandardCommand
  | TariffCommand
  | TechnologyRouteCommand
  | AmendmentCommand;

export type CommandKind = DomainCommand['kind'];
export type CommandOfKind<K extends CommandKind> = Extract<DomainCommand, { kind: K }>;

/**
 * A command whose stream the command itself names (`plant-<plantId>`, …). The application loads
 * `streamId(command)`, folds it with {@link foldHistory}, checks `references(command)`, decides and appends.
 */
export interface AggregateCommandEntry<Command, State, Event> {
  target: 'aggregate';
  aggregate: AggregateKind;
  streamId: (command: Command) => string;
  initialState: State;
  /** Folds `{ type, data }` events of the stream; other types are ignored. */
  evolve: (state: State, event: { type: string; data: unknown }) => State;
  decide: (command: Command, state: State, known: KnownReferences) => Event[];
  references: (command: Command) => ReferenceIds;
}

/**
 * A correction or retraction: it has no stream of its own. The application finds the stream that holds
 * `targetEventId(command)` (404 when none does), loads it with event ids, and appends to that stream.
 */
export interface AmendmentCommandEntry<Command> {
  target: 'amended-fact';
  targetEventId: (command: Command) => string;
  initialState: AmendmentState;
  /** Folds recorded events (`{ eventId, type, data }`), amendments included. */
  evolve: (state: AmendmentState, event: AmendableEvent) => AmendmentState;
  decide: (command: Command, state: AmendmentState, known: KnownReferences) => AmendmentEvent[];
  references: (command: Command) => ReferenceIds;
}

/** What the catalogue checks of each entry: it takes its kind's command (state is each aggregate's own). */
type EntryAccepting<Command> = {
  decide: (command: Command, state: never, known: KnownReferences) => DomainEvent[];
  references: (command: Command) => ReferenceIds;
} & (
  | { target: 'aggregate'; streamId: (command: Command) => string }
  | { target: 'amended-fact'; targetEventId: (command: Command) => string }
);

const noReferences = (): ReferenceIds => ({ companies: [], routes: [] });

const aggregateEntry = <Command, State, Event>(
  aggregate: AggregateKind,
  decider: Decider<Command, State, Event, { type: string; data: unknown }>,
  idOf: (command: Command) => string,
  references: (command: Command) => ReferenceIds,
): AggregateCommandEntry<Command, State, Event> => ({
  target: 'aggregate',
  aggregate,
  streamId: (command) => streamIds[aggregate](idOf(command)),
  initialState: decider.initialState,
  evolve: decider.evolve,
  decide: decider.decide,
  references,
});

const company = aggregateEntry(
  'company',
  { initialState: initialCompanyState, evolve: evolveCompany, decide: decideCompany },
  (c: CompanyCommand) => c.companyId,
  // A round's company is the stream itself: the decider sees it in the state, not in the references.
  (c) => ({ companies: [], routes: c.kind === 'financing-round' ? (c.technologyRoutes ?? []) : [] }),
);

const plant = aggregateEntry(
  'plant',
  { initialState: initialPlantState, evolve: evolvePlant, decide: decidePlant },
  (c: PlantCommand) => c.plantId,
  (c) => (c.kind === 'capacity-announcement' ? { companies: [c.companyId], routes: [c.technologyRoute] } : noReferences()),
);

const standard = aggregateEntry(
  'standard',
  { initialState: initialStandardState, evolve: evolveStandard, decide: decideStandard },
  (c: StandardCommand) => c.standardId,
  (c) => ({ companies: [], routes: c.kind === 'standard' ? (c.technologyRoutes ?? []) : [] }),
);

const tariff = aggregateEntry(
  'tariff',
  { initialState: initialTariffState, evolve: evolveTariff, decide: decideTariff },
  (c: TariffCommand) => c.measureId,
  noReferences,
);

// A milestone lives in the stream of the route it concerns.
const route = aggregateEntry(
  'route',
  { initialState: initialTechnologyRouteState, evolve: evolveTechnologyRoute, decide: decideTechnologyRoute },
  (c: TechnologyRouteCommand) => (c.kind === 'technology-route' ? c.routeId : c.technologyRoute),
  (c) =>
    c.kind === 'technology-milestone'
      ? { companies: c.companyId === undefined ? [] : [c.companyId], routes: [c.technologyRoute] }
      : noReferences(),
);

const amendment: AmendmentCommandEntry<AmendmentCommand> = {
  target: 'amended-fact',
  targetEventId: (command) => command.eventId,
  initialState: amendmentDecider.initialState,
  evolve: amendmentDecider.evolve,
  decide: amendmentDecider.decide,
  references: (command) => ({
    companies: [],
    routes: command.kind === 'correction' ? routesNamedIn(command.changes) : [],
  }),
};

/**
 * Everything the application needs to run any command generically: load stream → fold → decide → append.
 *
 * @example
 * const entry = COMMAND_CATALOGUE['commissioning'];
 * const state = foldHistory(entry, await load(entry.streamId(command)));
 * const events = entry.decide(command, state, known);
 */
export const COMMAND_CATALOGUE = {
  company,
  'financing-round': company,
  'company-rename': company,
  'capacity-announcement': plant,
  'construction-start': plant,
  commissioning: plant,
  'capacity-revision': plant,
  suspension: plant,
  resumption: plant,
  cancellation: plant,
  standard,
  'standard-stage': standard,
  'tariff-measure': tariff,
  'tariff-rate-change': tariff,
  'tariff-revocation': tariff,
  'technology-route': route,
  'technology-milestone': route,
  correction: amendment,
  retraction: amendment,
} satisfies { [K in CommandKind]: EntryAccepting<CommandOfKind<K>> };

export type CommandCatalogue = typeof COMMAND_CATALOGUE;

/** Every command kind, in catalogue order. */
export const COMMAND_KINDS = Object.keys(COMMAND_CATALOGUE) as CommandKind[];

export const isCommandKind = (kind: string): kind is CommandKind => Object.hasOwn(COMMAND_CATALOGUE, kind);

/** A catalogue entry with its types widened, for code that handles any command the same way. */
export type AnyCommandEntry =
  | AggregateCommandEntry<DomainCommand, unknown, DomainEvent>
  | AmendmentCommandEntry<DomainCommand>;

/** The entry for a command, widened so generic code can call it with the command as it is. */
export const commandEntry = (command: DomainCommand): AnyCommandEntry =>
  COMMAND_CATALOGUE[command.kind] as unknown as AnyCommandEntry;

/**
 * Folds a stream's recorded events into the state the entry decides on. An aggregate sees its history as
 * amended (corrections applied, retracted facts left out), so a decision never rests on a withdrawn fact.
 */
export const foldHistory = (entry: AnyCommandEntry, recorded: readonly AmendableEvent[]): unknown =>
  entry.target === 'aggregate'
    ? amendedHistory(recorded).reduce(entry.evolve, entry.initialState)
    : recorded.reduce(entry.evolve, entry.initialState);

/**
 * The pure part of handling a command: fold the loaded stream and decide. The application supplies the
 * stream's events (of `streamId(command)`, or of the amended fact's stream) and the known references.
 *
 * @throws NotFound | RuleViolated | ReferenceNotFound | InvalidValue as the aggregate's rules say
 */
export const decideOnHistory = (
  command: DomainCommand,
  recorded: readonly AmendableEvent[],
  known: KnownReferences,
): DomainEvent[] => {
  const entry = commandEntry(command);
  return entry.target === 'aggregate'
    ? entry.decide(command, foldHistory(entry, recorded), known)
    : entry.decide(command, foldHistory(entry, recorded) as AmendmentState, known);
};
