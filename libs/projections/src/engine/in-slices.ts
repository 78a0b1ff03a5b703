/** A build that runs in slices between other work; `done` settles when it is complete or stopped. */
export interface SlicedBuild {
  stop(): void;
  done: Promise<void>;
}

/**
 * Calls `step(sliceMs)` between other work until it returns true (complete): each call does about
 * `sliceMs` of work, then the event loop answers what is waiting (setImmediate) before the next one. How
 * the indexes the API builds after start (routes, event ids) keep requests answered meanwhile. The first
 * call waits a turn, so the caller finishes what it was doing first.
 */
export const runInSlices = (step: (sliceMs: number) => boolean, sliceMs: number): SlicedBuild => {
  let stopped = false;
  const stopping = signal();
  function* calls(): Generator<void, void, undefined> {
    yield;
    while (!stopped && !step(sliceMs)) yield;
  }
  return {
    stop: () => {
      stopped = true;
      stopping.fire();
    },
    // A slice of 0 ms: one call of `step`, which times itself, per turn of the event loop.
    done: Promise.race([finishInSlices(calls(), 0), stopping.promise]),
  };
};

/** A promise and the one call that settles it, for whoever waits on something that happens elsewhere. */
export interface Signal {
  promise: Promise<void>;
  fire: () => void;
}

export const signal = (): Signal => {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (fire = resolve));
  return { promise, fire };
};

/**
 * A computation written as steps: a generator that yields between units of work (a company, say) and
 * returns its result. The same steps run at once (`finishNow`) or between other work (`finishInSlices`).
 */
export type Steps<T> = Iterator<unknown, T, undefined>;

/** Runs the steps to their end at once. */
export const finishNow = <T>(steps: Steps<T>): T => {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
};

/**
 * Runs the steps for about `sliceMs` at a time, letting the event loop answer what is waiting between
 * slices (setImmediate); resolves with their result, or rejects with what a step threw. The first slice
 * runs at once, so a short computation ends without waiting a turn. `sliceMs` may be a function, asked
 * before each slice, for slices whose length depends on who waits for the result.
 */
export const finishInSlices = <T>(steps: Steps<T>, sliceMs: number | (() => number)): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const slice = () => {
      try {
        const until = performance.now() + (typeof sliceMs === 'number' ? sliceMs : sliceMs());
        for (;;) {
          const next = steps.next();
          if (next.done) return resolve(next.value);
          if (performance.now() >= until) return void setImmediate(slice);
        }
      } catch (error) {
        reject(error);
      }
    };
    slice();
  });

/**
 * The items, taken about `sliceMs` at a time, with the event loop answering what is waiting between
 * slices (setImmediate): for output made piece by piece, such as a long answer's JSON text.
 */
export async function* paceInSlices<T>(items: Iterable<T>, sliceMs: number): AsyncGenerator<T, void, undefined> {
  let until = performance.now() + sliceMs;
  for (const item of items) {
    yield item;
    if (performance.now() >= until) {
      await new Promise((resolve) => setImmediate(resolve));
      until = performance.now() + sliceMs;
    }
  }
}
