import { StandardEvent, StandardStage } from './standard.events';

/** The stage a standard is at and since when: enough to check the next stage. */
export interface StandardState {
  registered: boolean;
  stage?: StandardStage;
  stageOn?: string;
}

export const initialStandardState: StandardState = { registered: false };

/** Folds one standard event; other types leave the state unchanged. */
export const evolveStandard = (state: StandardState, event: { type: string; data: unknown }): StandardState => {
  const e = event as StandardEvent;
  switch (e.type) {
    case 'StandardRegistered':
      return { registered: true, stage: e.data.stage, stageOn: e.data.on };
    case 'StandardStageChanged':
      return Object.assign({}, state, { stage: e.data.stage, stageOn: e.data.on });
    default:
      return state;
  }
};
