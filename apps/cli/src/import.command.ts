import { Command } from 'commander';
import { FieldError, validationProblem } from '../../api/src/http/problem';
import { parseJsonText } from '../../api/src/http/json-text';
import type { WriteContext } from '../../api/src/http/write-context';
import type { FactToRecord } from '../../api/src/ingest/fact-recorder';
import { StoreCorrupted, StoreUnavailable } from '@bsc/event-store';
import { storeUrlFrom, withStore } from './cli-store';
import { storeOption } from './cli-options';
import { EXIT, ExitCode, usageError } from './exit-codes';
import { inspectInput, lines } from './ndjson';
import { startProgress } from './progress';

interface ImportOptions {
  store?: string;
  file: string;
  principal: string;
}

/** A line the write path turned down, with the problem the API would have answered for it alone. */
export interface RefusedLine {
  line: number;
  kind?: string;
  status: number;
  type: string;
  detail: string;
  errors?: FieldError[];
}

export interface ImportSummary {
  file: string;
  sha256: string;
  principal: string;
  items: number;
  imported: number;
  /** Already imported by an earlier run of the same file: skipped, nothing written. */
  replayed: number;
  refused: RefusedLine[];
}

const PRINCIPAL_PATTERN = /^[\w.:-]{1,64}$/;

/**
 * Lines recorded together, as a /v1/batch of that many items: one validation on worker threads, and the
 * write path's waves, so appends share commits instead of each waiting for its own. Each line keeps its
 * own idempotency key, so a run stopped mid-chunk resumes exactly where it stopped.
 */
const CHUNK_LINES = 1000;

interface ParsedLine {
  number: number;
  item: unknown;
  kind: string | undefined;
}

/**
 * Each line's idempotency key: the file's identity and the line number. The same file imported again
 * (after an interruption, or by mistake) replays every line it already recorded and writes the rest.
 */
export const importKeyFor = (sha256: string, line: number): string => `import:${sha256.slice(0, 32)}:${line}`;

const refusal = (line: number, kind: string | undefined, problem: { status: number; slug: string; detail: string; errors?: FieldError[] }): RefusedLine => {
  return { line, ...(kind ? { kind } : {}), status: problem.status, type: problem.slug, detail: problem.detail, ...(problem.errors ? { errors: problem.errors } : {}) };
};

const describe = (refused: RefusedLine): string => {
  // class-validator's messages already start with the field's name; ours do not.
  const fields = (refused.errors ?? []).map((error) => (error.message.startsWith(error.field) ? error.message : `${error.field} ${error.message}`)).join('; ');
  return `  line ${refused.line}${refused.kind ? ` (${refused.kind})` : ''}: ${refused.type}: ${fields || refused.detail}`;
};

const runImport = async (options: ImportOptions): Promise<ExitCode> => {
  if (!PRINCIPAL_PATTERN.test(options.principal)) throw usageError('--principal must be 1-64 letters, digits, or . _ : -');
  const input = await inspectInput(options.file);
  // Loaded here, not at the top: the write path pulls in the API's DTOs, which a usage error should not wait for.
  const [{ FactRecorder }, { BatchItemValidator }, { parseBatchValidationThreads, InvalidConfiguration }, { toProblem }, { LogLocator }] = await Promise.all([
    import('../../api/src/ingest/fact-recorder'),
    import('../../api/src/ingest/batch-item-validator'),
    import('../../api/src/config/app-config'),
    import('../../api/src/http/problem-details.filter'),
    import('./log-locator'),
  ]);
  let threads: number;
  try {
    // The API's setting and rule: the operator who tuned the server's validation tunes the import's too.
    threads = parseBatchValidationThreads(process.env.BATCH_VALIDATION_THREADS);
  } catch (error) {
    if (error instanceof InvalidConfiguration) throw usageError(error.message);
    throw error;
  }
  return withStore(storeUrlFrom(options.store), 'write', async ({ store, label }) => {
    const locator = new LogLocator(store);
    const recorder = new FactRecorder(store, locator);
    const validator = new BatchItemValidator({ threads });
    const batch = `import-${input.sha256.slice(0, 16)}`;
    // The operator holds the store itself, so the CLI writes with the admin role (it may also register routes).
    const principal = { name: options.principal, role: 'admin' as const };
    const summary: ImportSummary = { file: options.file, sha256: input.sha256, principal: principal.name, items: 0, imported: 0, replayed: 0, refused: [] };
    const progress = startProgress('import', input.nonBlankLines, 'lines');
    let chunk: ParsedLine[] = [];
    /** Validates and records a chunk of lines as /v1/batch does its items: in order, each seeing the ones before. */
    const recordChunk = async (): Promise<void> => {
      const parsed = chunk;
      chunk = [];
      const validated = await validator.validate(parsed.map(({ item }) => item));
      const facts: { line: ParsedLine; fact: FactToRecord }[] = [];
      parsed.forEach((line, i) => {
        const checked = validated[i];
        if (!checked.ok) {
          // A check that threw is our bug, not the line's: the operator sees why, as a server's log would say.
          const problem = 'crashed' in checked ? { ...toProblem(checked.crashed), detail: `checking the line failed: ${checked.crashed.message}` } : toProblem(validationProblem(checked.errors, 'The item is not valid; see errors.'));
          summary.refused.push(refusal(line.number, line.kind, problem));
          return;
        }
        const context: WriteContext = { principal, correlationId: batch, causationId: `${batch}:${line.number}`, idempotencyKey: importKeyFor(input.sha256, line.number) };
        facts.push({ line, fact: { command: checked.command, source: checked.source, context } });
      });
      const outcomes = await recorder.recordMany(facts.map(({ fact }) => fact));
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) {
          if (outcome.fact.replayed) summary.replayed += 1;
          else summary.imported += 1;
          return;
        }
        // A store that stops answering ends the run; a rerun picks up from here.
        if (outcome.error instanceof StoreUnavailable || outcome.error instanceof StoreCorrupted) throw outcome.error;
        summary.refused.push(refusal(facts[i].line.number, facts[i].line.kind, toProblem(outcome.error)));
      });
      progress.update(summary.items);
    };
    try {
      for await (const { number, text } of lines(options.file)) {
        if (text.trim() === '') continue;
        summary.items += 1;
        let item: unknown;
        try {
          item = parseJsonText(text);
        } catch (error) {
          summary.refused.push({ line: number, status: 400, type: 'malformed-json', detail: (error as Error).message });
          continue;
        }
        const kind = typeof (item as { kind?: unknown } | null)?.kind === 'string' ? String((item as { kind: string }).kind) : undefined;
        chunk.push({ number, item, kind });
        if (chunk.length === CHUNK_LINES) await recordChunk();
      }
      if (chunk.length > 0) await recordChunk();
      progress.update(summary.items);
    } finally {
      progress.stop();
      await Promise.all([locator.stop(), validator.close()]);
    }
    summary.refused.sort((a, b) => a.line - b.line);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.stderr.write(
      `import of ${options.file} into ${label}: ${summary.imported} imported, ${summary.replayed} already imported, ${summary.refused.length} refused\n` +
        summary.refused.map((refused) => `${describe(refused)}\n`).join('') +
        (summary.refused.length > 0 ? 'A rerun of this file skips what it imported and tries the refused lines again: an invalid line stays refused, so fix those in a new file and import that.\n' : ''),
    );
    return summary.refused.length > 0 ? EXIT.failed : EXIT.ok;
  });
};

export const registerImportCommand = (program: Command, run: (work: () => Promise<ExitCode>) => Promise<void>): void => {
  program
    .command('import')
    .description('record NDJSON batch items ({ kind, …body, source } per line) through the API\'s validation and write path; resumable')
    .addOption(storeOption())
    .requiredOption('--file <file>', 'NDJSON file, one /v1/batch item per line')
    .option('--principal <name>', 'recordedBy of the imported facts (and the scope of the resume keys)', 'cli-import')
    .action((options: ImportOptions) => run(() => runImport(options)));
};
