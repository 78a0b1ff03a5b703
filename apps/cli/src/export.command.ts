import { Command } from 'commander';
import { PositionNotInLog, StoredEvent } from '@bsc/event-store';
import { storeUrlFrom, withStore } from './cli-store';
import { parsePosition, storeOption } from './cli-options';
import { EXIT, ExitCode, usageError } from './exit-codes';
import { ndjsonSink } from './ndjson';
import { startProgress } from './progress';

interface ExportOptions {
  store?: string;
  fromPosition?: number;
  toPosition?: number;
  out?: string;
}

/** One exported line: the stored event exactly as the port returns it, in a fixed key order. */
export const exportedLine = (event: StoredEvent) => ({
  eventId: event.eventId,
  streamId: event.streamId,
  revision: event.revision,
  position: event.position,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recordedAt: event.recordedAt,
});

const runExport = async (options: ExportOptions): Promise<ExitCode> => {
  const { fromPosition, toPosition } = options;
  if (fromPosition !== undefined && toPosition !== undefined && fromPosition > toPosition) {
    throw usageError(`--from-position ${fromPosition} is after --to-position ${toPosition}`);
  }
  return withStore(storeUrlFrom(options.store), 'read', async ({ store, label }) => {
    // The head is read once: events appended while the export runs are left for the next one.
    const head = Math.min(await store.headPosition(), toPosition ?? Number.MAX_SAFE_INTEGER);
    const start = fromPosition ?? 0;
    const sink = ndjsonSink(options.out);
    const progress = startProgress('export', Math.max(head - start, 0), 'positions');
    let count = 0;
    try {
      for await (const event of store.readAll(fromPosition !== undefined ? { fromPosition } : {})) {
        if (event.position > head) break;
        await sink.write(exportedLine(event));
        count += 1;
        progress.update(event.position - start);
      }
      await sink.finish();
    } catch (error) {
      sink.abandon();
      if (error instanceof PositionNotInLog) throw usageError(`--from-position ${error.position}: ${error.message}; use 0 or an exported event's position`);
      throw error;
    } finally {
      progress.stop();
    }
    process.stderr.write(`exported ${count} events from ${label}${options.out ? ` to ${options.out}` : ''} (positions ${start}..${head})\n`);
    return EXIT.ok;
  });
};

export const registerExportCommand = (program: Command, run: (work: () => Promise<ExitCode>) => Promise<void>): void => {
  program
    .command('export')
    .description('write the log (or a range of positions) as NDJSON: one stored event per line, in log order, with all metadata')
    .addOption(storeOption())
    .option('--from-position <n>', 'first position to export (inclusive)', parsePosition)
    .option('--to-position <n>', 'last position to export (inclusive)', parsePosition)
    .option('--out <file>', 'write to this file (appears only when complete) instead of stdout')
    .action((options: ExportOptions) => run(() => runExport(options)));
};
