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
      case 5:
        return { kind: 'technology-route', routeId: `route-${i}`, name: 'Semi-solid-state', family: 'semi-solid-state', source };
      default:
        return company(i);
    }
  });

const validatedHere = (items: unknown[]) => Promise.all(items.map(validateBatchItem));

describe('BatchItemValidator', () => {
  let validator: BatchItemValidator | undefined;
  afterEach(async () => {
    await validator?.close();
    validator = undefined;
  });

  it('answers every item of a large batch on worker threads exactly as validating it here does, in order', async () => {
    const failures: Error[] = [];
    validator = new BatchItemValidator({ threads: 2, onWorkerFailure: (error) => failures.push(error) });
    const items = mixedItems(700);
    const answers = await validator.validate(items);
    expect(failures).toEqual([]);
    expect(answers).toEqual(await validatedHere(items));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(200);
  }, 60_000);

  it('validates small batches, and every batch with no threads, here', async () => {
    const failures: Error[] = [];
    validator = new BatchItemValidator({ threads: 0, workerFile: '/nonexistent/worker.js', onWorkerFailure: (error) => failures.push(error) });
    const items = mixedItems(140);
    expect(await validator.validate(items)).toEqual(await validatedHere(items));
    const small = new BatchItemValidator({ threads: 1, workerFile: '/nonexistent/worker.js', onWorkerFailure: (error) => failures.push(error) });
    expect(await small.validate(items.slice(0, 20))).toEqual(await validatedHere(items.slice(0, 20)));
    await small.close();
    expect(failures).toEqual([]);
  });

  it('a worker that dies leaves its chunks to be validated here, and the next batch starts a new worker', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dying-worker-'));
    const dying = path.join(dir, 'dying.worker.js');
    fs.writeFileSync(dying, "require('node:worker_threads').parentPort.once('message', () => process.exit(3));\n");
    try {
      const failures: Error[] = [];
      validator = new BatchItemValidator({ threads: 1, workerFile: dying, onWorkerFailure: (error) => failures.push(error) });
      const items = mixedItems(600);
      expect(await validator.validate(items)).toEqual(await validatedHere(items));
      // three chunks were sent to the one worker, and each was validated here once it had died
      expect(failures.map((error) => error.message)).toEqual(Array(3).fill('batch validation worker exited with 3'));
      expect(await validator.validate(items.slice(0, 100))).toEqual(await validatedHere(items.slice(0, 100)));
      expect(failures).toHaveLength(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
