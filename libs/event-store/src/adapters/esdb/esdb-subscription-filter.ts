import { Filter, eventTypeFilter, excludeSystemEvents } from '@eventstore/db-client';
import { EventFilter } from '../../event-store.port';

/** Matches no event type at all; valid in .NET (server) and JavaScript. */
const MATCH_NOTHING = '(?!)';

/**
 * The server-side filter for a `$all` subscription: exactly the listed event types when the port's
 * filter names them, otherwise every non-system event. Filtering on the server keeps system traffic
 * and other services' events off the wire; the adapter still checks each event on arrival.
 */
export function subscriptionFilterFor(filter: EventFilter | undefined): Filter {
  const types = filter?.eventTypes;
  if (types === undefined) return excludeSystemEvents();
  if (types.length === 0) return eventTypeFilter({ regex: MATCH_NOTHING });
  return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` });
}

/** Escapes the characters that are syntax in both .NET and JavaScript regexes. */
function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
