/**
 * Corrects data fields of a recorded fact. Written to the stream of the fact it amends, which the
 * application finds from `eventId`.
 */
export interface CorrectFact {
  kind: 'correction';
  eventId: string;
  /** The corrected data fields of the target, with their new values. */
  changes: Record<string, unknown>;
  reason: string;
}

/** Withdraws a recorded fact. Written to the stream of the fact it amends. */
export interface RetractFact {
  kind: 'retraction';
  eventId: string;
  reason: string;
}

export type AmendmentCommand = CorrectFact | RetractFact;
