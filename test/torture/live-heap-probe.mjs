/*
 * Preloaded into the API under test (NODE_OPTIONS=--import) by the soak: on the parent's "live-heap?"
 * message it collects garbage and answers the bytes still reachable. Resident memory cannot tell a leak
 * from the read models growing with the data by design; the live heap of a process that served the load,
 * against a fresh process on the same data, can.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

process.on('message', (message) => {
  if (message !== 'live-heap?') return;
  gc();
  const { heapUsed, external } = process.memoryUsage();
  process.send?.({ liveHeapBytes: heapUsed + external });
});
