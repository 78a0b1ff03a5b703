import { ProblemException } from '../http/problem';

/** The answer, or the contract's 404 for an aggregate in the path that is not known at knownAt. */
export const foundOr404 = <T>(answer: T | undefined, what: string, id: string, knownAt: string): T => {
  if (answer === undefined) throw new ProblemException(404, 'not-found', 'Not found', `No ${what} ${id} is known at ${knownAt}.`);
  return answer;
};
