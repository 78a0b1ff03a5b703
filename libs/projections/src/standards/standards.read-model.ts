import { StandardStage, streamIds } from '@bsc/domain';
import { compareIds } from '../company-capacity/company-capacity.read-model';
import { Cut, EntityTimeline, effectiveBy, factsByEffectiveDate } from '../engine/fact-timeline';
import { finishNow } from '../engine/in-slices';
import { AnswerEcho, QueryTime, answerOf, cutOf } from '../engine/query-time';
import { ReadModelState, streamsTagged, tag } from '../engine/read-model-state';

export interface StandardView {
  standardId: string;
  title: string;
  issuer: string;
  jurisdiction: string;
  code: string | null;
  technologyRoutes: string[];
  /** The latest stage effective ≤ asOf; null when the first stage is still ahead. */
  stage: StandardStage | null;
  stages: { stage: StandardStage; on: string }[];
}

export interface StandardFilters {
  jurisdiction?: string;
  technologyRoute?: string;
  /** Matches the stage at asOf. */
  stage?: string;
}

export interface StandardsAnswer extends AnswerEcho {
  standards: StandardView[];
}

export type OneStandardAnswer = AnswerEcho & StandardView;

/**
 * A standard at the cut. It exists once its registration is known at knownAt, whatever asOf: a standard
 * whose first stage is after asOf is shown with `stage: null` and no stages. `code` is the latest code
 * given with a stage ≤ asOf, else the registration's.
 */
export const standardAt = (timeline: EntityTimeline | undefined, cut: Cut): StandardView | undefined => {
  const known = factsByEffectiveDate(timeline, { knownAtMs: cut.knownAtMs });
  const registration = known.find((fact) => fact.event.type === 'StandardRegistered')?.event;
  if (registration?.type !== 'StandardRegistered') return undefined;
  const { standardId, title, issuer, jurisdiction, technologyRoutes } = registration.data;
  let code = registration.data.code ?? null;
  const stages: StandardView['stages'] = [];
  for (const { event, effectiveOn } of known) {
    if (!effectiveBy(effectiveOn, cut.asOf)) continue;
    if (event.type === 'StandardRegistered' || event.type === 'StandardStageChanged') {
      stages.push({ stage: event.data.stage, on: event.data.on });
      if (event.type === 'StandardStageChanged' && event.data.code) code = event.data.code;
    }
  }
  return {
    standardId,
    title,
    issuer,
    jurisdiction,
    code,
    technologyRoutes: [...technologyRoutes],
    stage: stages.at(-1)?.stage ?? null,
    stages,
  };
};

/**
 * Standards at (asOf, knownAt), filtered by jurisdiction, a technology route in their scope, and the
 * stage at asOf.
 *
 * @example
 *   standards(state, { asOf: '2025-12-31', knownAt: now }, { technologyRoute: 'solid-state-sulphide' })
 */
export const standards = (state: ReadModelState, time: QueryTime, filters: StandardFilters = {}): StandardsAnswer =>
  finishNow(standardsSteps(state, time, filters));

/** `standards` as steps, a standard per step, for an answer computed between other work (`finishInSlices`). */
export function* standardsSteps(state: ReadModelState, time: QueryTime, filters: StandardFilters = {}): Generator<void, StandardsAnswer> {
  const cut = cutOf(time);
  const found: StandardView[] = [];
  for (const streamId of streamsTagged(state, tag.standards)) {
    yield;
    const standard = standardAt(state.entities.get(streamId), cut);
    if (
      standard &&
      (filters.jurisdiction === undefined || standard.jurisdiction === filters.jurisdiction) &&
      (filters.technologyRoute === undefined || standard.technologyRoutes.includes(filters.technologyRoute)) &&
      (filters.stage === undefined || standard.stage === filters.stage)
    ) {
      found.push(standard);
    }
  }
  return answerOf(state, time, cut, { standards: found.sort((a, b) => compareIds(a.standardId, b.standardId)) });
}

/** One standard; undefined when its registration is not known at knownAt (the API answers 404). */
export const standardOf = (state: ReadModelState, standardId: string, time: QueryTime): OneStandardAnswer | undefined => {
  const cut = cutOf(time);
  const standard = standardAt(state.entities.get(streamIds.standard(standardId)), cut);
  return standard && answerOf(state, time, cut, standard);
};
