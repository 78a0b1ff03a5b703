// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; OpenAPI metadata plays no part in validation.
// (The workers are plain Node threads outside Jest's module system and load the real package.)
jest.mock('@nestjs/swagger', () => ({ ApiProperty: () => () => undefined, ApiPropertyOptional: () => () => undefined }));

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BatchItemValidator } from './batch-item-validator';
import { validateBatchItem } from './request-kinds';

const source = { publisher: 'Solid-state battery weekly', publishedOn: '2026-01-02' };
const company = (i: number) => ({ kind: 'company', companyId: `batch-co-${i}`, name: `Company ${i}`, headquartersCountry: 'CN', source });

/** Every shape a batch item can fail in, between valid ones, so order and per-item answers both show. */
const mixedItems = (count: number): unknown[] =>
  Array.from({ length: count }, (_, i) => {
    switch (i % 7) {
      case 1:
        return { ...company(i), headquartersCountry: 'China', ticker: '300750' };
      case 2:
        return { kind: 'commissioning', plantId: 'Not A Slug', commissionedOn: '2025-13-01', capacityGwh: -2, source };
      case 3:
        return ['not', 'an', 'object'];
      case 4:
        return { kind: 'merger', source };
      default:
        return company(i);
    }
  });

const validatedHere = (items: unknown[]) => Promise.all(items.map(validateBatchItem));

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** A stand-in worker, written to a temporary file: its code runs as the worker's whole body. */
const workerFiles: string[] = [];
const standInWorker = (body: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-worker-'));
  const file = path.join(dir, 'stand-in.worker.js');
  fs.writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
  workerFiles.push(dir);
  return file;
};

describe('BatchItemValidator', () => {
  let validator: BatchItemValidator | undefined;
  afterEach(async () => {
    await validator?.close();
    validator = undefined;
  });
  afterAll(() => {
    for (const dir of workerFiles) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('once its workers are ready, answers every item of a large batch exactly as validating it here does, in order', async () => {
    const failures: Error[] = [];
    validator = new BatchItemValidator({ threads: 2, onWorkerFailure: (error) => failures.push(error) });
    const items = mixedItems(700);
    // the first batch starts the workers and does not wait for them
    expect(await validator.validate(items)).toEqual(await validatedHere(items));
    await until(() => validator!.readyThreads === 2);
    const answers = await validator.validate(items);
    expect(failures).toEqual([]);
    expect(answers).toEqual(await validatedHere(items));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(300);
  }, 60_000);

  it('sends chunks of 250 to its ready workers in turn and puts their answers back in item order', async () => {
    // Answers each item with the chunk it came in and its place there, so the routing shows.
    const tagging = standInWorker(`
      let chunks = 0;
      parentPort.on('message', ({ id, items }) => {
        const chunk = chunks++;
        parentPort.postMessage({ id, results: items.map((item, i) => ({ ok: false, errors: [{ field: String(item.n), message: chunk + ':' + i }] })) });
      });
      parentPort.postMessage('ready');`);
    validator = new BatchItemValidator({ threads: 2, workerFile: tagging });
    await validator.validate(mixedItems(64));
    await until(() => validator!.readyThreads === 2);
    const answers = await validator.validate(Array.from({ length: 600 }, (_, n) => ({ n })));
    const tags = answers.map((answer) => (answer.ok || 'crashed' in answer ? undefined : answer.errors[0]));
    expect(tags.map((tag) => tag?.field)).toEqual(Array.from({ length: 600 }, (_, n) => String(n)));
    // chunks 0 and 2 went to one worker (its chunks 0 and 1), chunk 1 to the other (its chunk 0)
    expect([tags[0], tags[249], tags[250], tags[500], tags[599]].map((tag) => tag?.message)).toEqual(['0:0', '0:249', '0:0', '1:0', '1:99']);
  }, 30_000);

  it('validates small batches, every batch with no threads, and batches while no worker is ready, here', async () => {
    const failures: Error[] = [];
    const items = mixedItems(300);
    validator = new BatchItemValidator({ threads: 0, workerFile: '/nonexistent/worker.js', onWorkerFailure: (error) => failures.push(error) });
    expect(await validator.validate(items)).toEqual(await validatedHere(items));
    const small = new BatchItemValidator({ threads: 1, workerFile: '/nonexistent/worker.js', onWorkerFailure: (error) => failures.push(error) });
    expect(await small.validate(items.slice(0, 20))).toEqual(await validatedHere(items.slice(0, 20)));
    await small.close();
    const neverReady = new BatchItemValidator({ threads: 1, workerFile: standInWorker('setInterval(() => undefined, 1000);'), onWorkerFailure: (error) => failures.push(error) });
    expect(await neverReady.validate(items)).toEqual(await validatedHere(items));
    expect(await neverReady.validate(items)).toEqual(await validatedHere(items));
    await neverReady.close();
    // closing is not a failure
    expect(failures).toEqual([]);
  }, 30_000);

  it('reports a worker that cannot start, and validates here meanwhile', async () => {
    const failures: Error[] = [];
    validator = new BatchItemValidator({ threads: 1, workerFile: standInWorker("throw new Error('cannot load');"), onWorkerFailure: (error) => failures.push(error) });
    const items = mixedItems(100);
    expect(await validator.validate(items)).toEqual(await validatedHere(items));
    await until(() => failures.length === 1);
    expect(failures[0].message).toBe('cannot load');
  }, 30_000);

  it('answers an item whose check throws (a bug of ours) on its own, and every other item as usual, here and when its chunk was meant for a worker', async () => {
    // A getter that throws: the check's copy of the item throws here, and so does copying its chunk to a worker.
    const exploding = {
      kind: 'company',
      get companyId(): string {
        throw new Error('getter exploded');
      },
    };
    const items = mixedItems(100);
    items[7] = exploding;
    const others = items.filter((_, i) => i !== 7);
    for (const threads of [0, 1]) {
      validator = new BatchItemValidator({ threads });
      if (threads > 0) {
        await validator.validate(mixedItems(64));
        await until(() => validator!.readyThreads === 1);
      }
      const answers = await validator.validate(items);
      expect(answers[7]).toEqual({ ok: false, crashed: new Error('getter exploded') });
      expect(answers.filter((_, i) => i !== 7)).toEqual(await validatedHere(others));
      await validator.close();
    }
  }, 30_000);

  it('a worker that dies leaves its chunks to be validated here, and the next batch starts a new worker', async () => {
    const dying = standInWorker("parentPort.once('message', () => process.exit(3));\nparentPort.postMessage('ready');");
    const failures: Error[] = [];
    validator = new BatchItemValidator({ threads: 1, workerFile: dying, onWorkerFailure: (error) => failures.push(error) });
    const items = mixedItems(600);
    await validator.validate(items.slice(0, 64));
    await until(() => validator!.readyThreads === 1);
    expect(await validator.validate(items)).toEqual(await validatedHere(items));
    // three chunks were sent to the one worker, and each was validated here once it had died (reported once)
    expect(failures.map((error) => error.message)).toEqual(['batch validation worker exited with 3']);
    expect(validator.readyThreads).toBe(0);
    // the next large batch starts a new worker (and is validated here while it loads)
    expect(await validator.validate(items.slice(0, 64))).toEqual(await validatedHere(items.slice(0, 64)));
    await until(() => validator!.readyThreads === 1);
    expect(await validator.validate(items.slice(0, 100))).toEqual(await validatedHere(items.slice(0, 100)));
    expect(failures).toHaveLength(2);
  }, 30_000);
});
