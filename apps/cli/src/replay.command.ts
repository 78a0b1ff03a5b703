import { Command } from 'commander';
import type { ReadModelName } from '@bsc/audit';
import { storeUrlFrom, withStore } from './cli-store';
import { collectParam, parseInstant, parseIsoDate, storeOption } from './cli-options';
import { EXIT, ExitCode, usageError } from './exit-codes';
import { startProgress } from './progress';
import { reportingReads } from './reporting-store';

interface ReplayOptions {
  store?: string;
  asOf: string;
  knownAt: string;
  param?: Record<string, string>;
}

const runReplay = async (readModel: string, options: ReplayOptions): Promise<ExitCode> => {
  // Loaded here, not at the top: the projections are not needed to report a usage error.
  const { READ_MODEL_NAMES, ReplayRequestError, replayReadModel } = await import('@bsc/audit');
  if (!(READ_MODEL_NAMES as readonly string[]).includes(readModel)) {
    throw usageError(`unknown read model ${JSON.stringify(readModel)}: use one of ${READ_MODEL_NAMES.join(', ')}`);
  }
  return withStore(storeUrlFrom(options.store), 'read', async ({ store, label }) => {
    const head = await store.headPosition();
    const progress = startProgress('replay', head, 'positions');
    const request = { readModel: readModel as ReadModelName, params: options.param ?? {}, asOf: options.asOf, knownAt: options.knownAt };
    let replayed;
    try {
      replayed = await replayReadModel(reportingReads(store, (position) => progress.update(position)).readAll(), request);
    } catch (error) {
      if (error instanceof ReplayRequestError) throw usageError(error.message);
      throw error;
    } finally {
      progress.stop();
    }
    process.stdout.write(`${JSON.stringify(replayed.result)}\n`);
    process.stderr.write(`replayed ${readModel} from ${label}: ${replayed.eventsReplayed} events recorded by ${options.knownAt}, read up to position ${replayed.position}, ${replayed.tookMs} ms\n`);
    if (replayed.result === null) {
      process.stderr.write(`no answer: what the parameters name was not known at ${options.knownAt} (the API answers 404)\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  });
};

export const registerReplayCommand = (program: Command, run: (work: () => Promise<ExitCode>) => Promise<void>): void => {
  program
    .command('replay')
    .description('answer a read-model query from the raw log alone (a fresh projection, no checkpoint)')
    .argument('<read-model>', 'the read model to rebuild, as /v1/audit/replays names it (e.g. company-capacity; an unknown name lists them all)')
    .addOption(storeOption())
    .requiredOption('--as-of <date>', 'valid time, YYYY-MM-DD', parseIsoDate)
    .requiredOption('--known-at <instant>', 'transaction time, RFC 3339 with an offset', parseInstant)
    .option('--param <key=value>', 'a query parameter or id of the read model, repeatable (e.g. companyId=catl)', collectParam)
    .action((readModel: string, options: ReplayOptions) => run(() => runReplay(readModel, options)));
};
