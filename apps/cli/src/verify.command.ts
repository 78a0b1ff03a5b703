import { Command } from 'commander';
import type { IntegrityReport } from '@bsc/audit';
import { storeUrlFrom, withStore } from './cli-store';
import { parsePosition, storeOption } from './cli-options';
import { EXIT, ExitCode } from './exit-codes';
import { startProgress } from './progress';
import { reportingReads } from './reporting-store';

interface VerifyOptions {
  store?: string;
  upToPosition?: number;
  json?: boolean;
}

const LISTED_FAILURES = 50;

const describeReport = (report: IntegrityReport, label: string, upTo: number): string => {
  const head = `integrity of ${label} up to position ${upTo}: ${report.eventsChecked} events in ${report.streamsChecked} streams`;
  if (report.ok) return `${head}: ok\n`;
  const listed = report.failures.slice(0, LISTED_FAILURES).map((failure) => `  ${failure.streamId}@${failure.revision} (${failure.eventId}): ${failure.reason}`);
  const more = report.failures.length > LISTED_FAILURES ? [`  … and ${report.failures.length - LISTED_FAILURES} more (--json lists all)`] : [];
  return `${head}: ${report.failures.length} FAILURES\n${[...listed, ...more].join('\n')}\n`;
};

const runVerify = (options: VerifyOptions): Promise<ExitCode> =>
  withStore(storeUrlFrom(options.store), 'read', async ({ store, label }) => {
    const upTo = Math.min(options.upToPosition ?? Number.MAX_SAFE_INTEGER, await store.headPosition());
    const { verifyIntegrity } = await import('@bsc/audit');
    const progress = startProgress('verify', upTo, 'positions');
    let report: IntegrityReport;
    try {
      report = await verifyIntegrity(reportingReads(store, (position) => progress.update(Math.min(position, upTo))), { upToPosition: upTo });
    } finally {
      progress.stop();
    }
    if (options.json) process.stdout.write(`${JSON.stringify({ store: label, upToPosition: upTo, ...report })}\n`);
    process.stderr.write(describeReport(report, label, upTo));
    return report.ok ? EXIT.ok : EXIT.failed;
  });

export const registerVerifyCommand = (program: Command, run: (work: () => Promise<ExitCode>) => Promise<void>): void => {
  program
    .command('verify')
    .description('check every stream\'s hash chain offline: revisions without gaps, prevHash links, recomputed hashes')
    .addOption(storeOption())
    .option('--up-to-position <n>', 'check only events at or before this position', parsePosition)
    .option('--json', 'also print the full report as JSON on stdout')
    .action((options: VerifyOptions) => run(() => runVerify(options)));
};
