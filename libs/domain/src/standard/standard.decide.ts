import { Decider, isKnownRoute, KnownReferences, withoutUndefined } from '../shared/decider';
import { NotFound, ReferenceNotFound, RuleViolated } from '../shared/domain-errors';
import { ChangeStandardStage, RegisterStandard, StandardCommand } from './standard.commands';
import { StandardEvent, StandardStage } from './standard.events';
import { evolveStandard, initialStandardState, StandardState } from './standard.state';

/** The forward path; `withdrawn` and `superseded` leave it from any point. */
const STAGE_ORDER: readonly StandardStage[] = ['drafting', 'public-comment', 'approved', 'published', 'in-force'];

const checkTransition = (standardId: string, from: StandardStage, to: StandardStage): void => {
  if (from === 'withdrawn') throw new RuleViolated(`standard ${standardId} is withdrawn: no stage after it`);
  if (from === to) throw new RuleViolated(`standard ${standardId} is already at stage ${to}`);
  if (to === 'withdrawn') return;
  if (from === 'superseded') throw new RuleViolated(`standard ${standardId} is superseded: only withdrawal may follow`);
  if (to === 'superseded') return;
  if (STAGE_ORDER.indexOf(to) < STAGE_ORDER.indexOf(from)) {
    throw new RuleViolated(`standard ${standardId} cannot go back from ${from} to ${to}`);
  }
};

const register = (command: RegisterStandard, standard: StandardState, known: KnownReferences): StandardEvent[] => {
  if (standard.registered) throw new RuleViolated(`standard ${command.standardId} is already registered`);
  const { kind: _kind, technologyRoutes = [], requirements = [], ...rest } = command;
  const unknownRoute = technologyRoutes.find((route) => !isKnownRoute(route, known));
  if (unknownRoute !== undefined) throw new ReferenceNotFound(`technology route ${unknownRoute} does not exist`);
  return [{ type: 'StandardRegistered', data: withoutUndefined(Object.assign(rest, { technologyRoutes, requirements })) }];
};

const changeStage = (command: ChangeStandardStage, standard: StandardState): StandardEvent[] => {
  if (!standard.registered || standard.stage === undefined || standard.stageOn === undefined) {
    throw new NotFound(`standard ${command.standardId}`);
  }
  checkTransition(command.standardId, standard.stage, command.stage);
  if (command.on < standard.stageOn) {
    throw new RuleViolated(`stage ${command.stage} on ${command.on} is before stage ${standard.stage} on ${standard.stageOn}`);
  }
  const { kind: _kind, ...data } = command;
  return [{ type: 'StandardStageChanged', data: withoutUndefined(data) }];
};

/**
 * Decides what a standard command adds to `standard-<standardId>`.
 *
 * @throws RuleViolated for a second registration, a stage that goes back or repeats, anything after
 *   `withdrawn`, anything but withdrawal after `superseded`, or a stage dated before the previous one
 * @throws NotFound for a stage of an unregistered standard
 * @throws ReferenceNotFound for a registration naming an unknown route
 */
export const decideStandard = (command: StandardCommand, state: StandardState, known: KnownReferences): StandardEvent[] => {
  switch (command.kind) {
    case 'standard':
      return register(command, state, known);
    case 'standard-stage':
      return changeStage(command, state);
  }
};

/** The standard aggregate as one value. */
export const standardDecider: Decider<StandardCommand, StandardState, StandardEvent> = {
  initialState: initialStandardState,
  evolve: evolveStandard,
  decide: decideStandard,
};
