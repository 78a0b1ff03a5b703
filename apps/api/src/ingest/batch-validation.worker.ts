import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { ChunkReply, ChunkRequest, WORKER_READY, checkBatchItem } from './batch-item-validator';

/**
 * The worker side of `BatchItemValidator`: validates each chunk of batch items with the same
 * `checkBatchItem` the main thread would use and sends back one result per item, in order. Validation
 * holds no state, so any worker may take any chunk.
 */
parentPort?.on('message', ({ id, items }: ChunkRequest) => {
  Promise.all(items.map(checkBatchItem)).then(
    (results) => parentPort?.postMessage({ id, results } satisfies ChunkReply),
    (error: unknown) => parentPort?.postMessage({ id, failed: error instanceof Error ? error.message : String(error) } satisfies ChunkReply),
  );
});
parentPort?.postMessage(WORKER_READY);
