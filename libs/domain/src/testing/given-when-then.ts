import { Decider, KnownReferences, NO_KNOWN_REFERENCES } from '../shared/decider';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Given/when/then for deciders, as plain functions over jest's `expect`.
 *
 * @example
 * const given = specFor(plantDecider);
 * given([announced, cancelled]).when(commission).thenThrows(RuleViolated, /cancelled/);
 * given([announced]).when(commission, known).then([{ type: 'PlantCommissioned', data: { ... } }]);
 */
export const specFor =
  <Command, State, Event, Input>(decider: Decider<Command, State, Event, Input>) =>
  (history: readonly Input[]) => ({
    when: (command: Command, known: KnownReferences = NO_KNOWN_REFERENCES) => {
      const run = (): Event[] =>
        decider.decide(command, history.reduce(decider.evolve, decider.initialState), known);
      return {
        then: (expected: readonly Event[]): void => {
          expect(run()).toStrictEqual(expected);
        },
        thenThrows: (errorClass: ErrorClass, message?: RegExp): void => {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(errorClass);
          if (message) expect((thrown as Error).message).toMatch(message);
        },
      };
    },
  });

/** Folds history without deciding, for tests that check what `evolve` remembers. */
export const stateAfter = <State, Input>(
  decider: Pick<Decider<unknown, State, unknown, Input>, 'initialState' | 'evolve'>,
  history: readonly Input[],
): State => history.reduce(decider.evolve, decider.initialState);
