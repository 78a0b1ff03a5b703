import { DomainCommand, commandEntry, isBuiltInRoute, streamIds } from '@bsc/domain';

/** What a batch item touches: the stream it appends to and the streams its decision reads. */
export interface ItemFootprint {
  /** Undefined when the stream is only known while deciding (corrections, retractions): such an item runs alone. */
  writes: string | undefined;
  reads: readonly string[];
}

/** The stream a command appends to and the streams its decision reads (companies and registered routes it names). */
export const footprintOf = (command: DomainCommand): ItemFootprint => {
  const entry = commandEntry(command);
  const references = entry.references(command);
  return {
    writes: entry.target === 'aggregate' ? entry.streamId(command) : undefined,
    reads: [...references.companies.map(streamIds.company), ...references.routes.filter((route) => !isBuiltInRoute(route)).map(streamIds.route)],
  };
};

/**
 * Splits batch items, in order, into waves of items that touch nothing another item of the same wave
 * writes. Running a wave's items concurrently then gives the same outcome as running them one after
 * another, and lets their appends share one commit; a dependency (a company registered before its plant,
 * two facts on one plant) always lands in a later wave. Items without a footprint (refused before any
 * store work) join whichever wave is open. `maxWaveSize` bounds how long one wave holds the event loop.
 */
export const planWaves = (footprints: readonly (ItemFootprint | undefined)[], maxWaveSize = Number.POSITIVE_INFINITY): number[][] => {
  const waves: number[][] = [];
  let wave: number[] = [];
  let written = new Set<string>();
  let read = new Set<string>();
  const close = () => {
    if (wave.length > 0) waves.push(wave);
    wave = [];
    written = new Set();
    read = new Set();
  };
  footprints.forEach((footprint, index) => {
    if (wave.length >= maxWaveSize) close();
    if (footprint === undefined) {
      wave.push(index);
      return;
    }
    if (footprint.writes === undefined) {
      close();
      waves.push([index]);
      return;
    }
    const { writes } = footprint;
    const clashes = written.has(writes) || read.has(writes) || footprint.reads.some((stream) => written.has(stream));
    if (clashes) close();
    wave.push(index);
    written.add(writes);
    for (const stream of footprint.reads) read.add(stream);
  });
  close();
  return waves;
};
