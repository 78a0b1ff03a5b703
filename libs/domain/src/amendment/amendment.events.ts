/**
 * A correction is a new fact about an old one: it never rewrites history. It is written to the stream of
 * the fact it amends; `changes` holds the corrected data fields of that event.
 */
export interface FactCorrected {
  type: 'FactCorrected';
  data: { eventId: string; correctedType: string; changes: Record<string, unknown>; reason: string };
}

/** Withdraws a fact from every answer known after it was recorded. */
export interface FactRetracted {
  type: 'FactRetracted';
  data: { eventId: string; retractedType: string; reason: string };
}

export type AmendmentEvent = FactCorrected | FactRetracted;
