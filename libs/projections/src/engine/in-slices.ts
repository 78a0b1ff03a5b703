/** A build that runs in slices between other work; `done` settles when it is complete or stopped. */
export interface SlicedBuild {
  stop(): void;
  done: Promise<void>;
}

/**
 * Calls `step(sliceMs)` between other work until it returns true (complete): each call does about
 * `sliceMs` of work, then the event loop answers what is waiting (setImmediate) before the next one. How
 * the indexes the API builds after start (routes, event ids) keep requests answered meanwhile.
 */
export const runInSlices = (step: (sliceMs: number) => boolean, sliceMs: number): SlicedBuild => {
  let stopped = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const slice = () => {
    if (stopped) return;
    if (step(sliceMs)) finish();
    else setImmediate(slice);
  };
  setImmediate(slice);
  return {
    stop: () => {
      stopped = true;
      finish();
    },
    done,
  };
};
