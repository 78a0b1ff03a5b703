import { Command } from 'commander';
import type { IntegrityFailure } from '@bsc/audit';
import { EventStore, NO_STREAM, NewEvent, StoredEvent, WrongExpectedRevision } from '@bsc/event-store';
import { OpenedStore, openCliStore, storeFailure } from './cli-store';
import { parsePositiveInt } from './cli-options';
import { CliFailure, EXIT, ExitCode, usageError } from './exit-codes';
import { startProgress } from './progress';
import { reportingReads } from './reporting-store';

interface MigrateOptions {
  from: string;
  to: string;
  batchSize: number;
}

const DEFAULT_BATCH_SIZE = 500;
const LISTED_FAILURES = 20;

export interface MigrationReport {
  from: string;
  to: string;
  /** Events the target already held from an earlier, interrupted run. */
  alreadyPresent: number;
  copied: number;
  verification: {
    ok: boolean;
    sourceEvents: number;
    targetEvents: number;
    streams: number;
    differences: string[];
    integrity: { ok: boolean; eventsChecked: number; failures: IntegrityFailure[] };
    anchor: { source: { position: number; digest: string }; target: { position: number; digest: string }; ok: boolean };
  };
}

const conflict = (message: string) => new CliFailure(EXIT.conflict, `${message}; the target must be empty or hold a prefix of the source's history`);

/** An event the target already holds must be the source's event at the same place, byte for byte in meaning. */
const sameEvent = (source: StoredEvent, target: StoredEvent): boolean =>
  source.eventId === target.eventId &&
  source.streamId === target.streamId &&
  source.revision === target.revision &&
  source.type === target.type &&
  JSON.stringify(source.metadata?.hash) === JSON.stringify(target.metadata?.hash);

interface PendingAppend {
  streamId: string;
  firstRevision: number;
  events: NewEvent[];
}

/**
 * Copies the source's log in global order. Consecutive events of one stream go in one append (up to the
 * batch size), each with the exact expected revision, so every stream is rebuilt with the same ids and
 * revisions and the target's global order is the source's. A target that already holds a prefix of the
 * same history (an interrupted run) is checked event by event and the copy continues after it.
 */
const copyHistory = async (source: EventStore, target: EventStore, sourceHead: number, batchSize: number) => {
  const progress = startProgress('copy', sourceHead, 'positions');
  const existing = target.readAll()[Symbol.asyncIterator]();
  let targetExhausted = false;
  let alreadyPresent = 0;
  let copied = 0;
  let pending: PendingAppend | undefined;

  const flush = async () => {
    if (!pending) return;
    const { streamId, firstRevision, events } = pending;
    pending = undefined;
    try {
      await target.append(streamId, events, { expectedRevision: firstRevision === 0 ? NO_STREAM : firstRevision - 1 });
    } catch (error) {
      if (error instanceof WrongExpectedRevision) {
        throw conflict(`target stream ${streamId} is at revision ${String(error.actual)}, not ${firstRevision - 1} (another writer, or a gap in the source stream)`);
      }
      throw error;
    }
    copied += events.length;
  };

  try {
    for await (const event of source.readAll()) {
      if (event.position > sourceHead) break;
      if (!targetExhausted) {
        const held = await existing.next();
        if (!held.done) {
          if (!sameEvent(event, held.value)) {
            throw conflict(`the target's event ${alreadyPresent + 1} (${held.value.streamId}@${held.value.revision}) is not the source's (${event.streamId}@${event.revision})`);
          }
          alreadyPresent += 1;
          progress.update(event.position);
          continue;
        }
        targetExhausted = true;
      }
      const continues = pending && pending.streamId === event.streamId && pending.firstRevision + pending.events.length === event.revision;
      if (!continues || (pending && pending.events.length >= batchSize)) await flush();
      pending ??= { streamId: event.streamId, firstRevision: event.revision, events: [] };
      pending.events.push({ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata });
      progress.update(event.position);
    }
    await flush();
    if (!targetExhausted && !(await existing.next()).done) throw conflict('the target holds events the source does not');
  } finally {
    await existing.return?.();
    progress.stop();
  }
  return { alreadyPresent, copied };
};

/** Reads a whole log pass with a bar of its own. */
const withBar = async <T>(label: string, store: EventStore, head: number, work: (store: EventStore) => Promise<T>): Promise<T> => {
  const progress = startProgress(label, head, 'positions');
  try {
    return await work(reportingReads(store, (position) => progress.update(position)));
  } finally {
    progress.stop();
  }
};

const verifyCopy = async (source: EventStore, target: EventStore, sourceHead: number): Promise<MigrationReport['verification']> => {
  const [{ computeAnchor, verifyIntegrity }, { compareFingerprints, fingerprintHistory }] = await Promise.all([import('@bsc/audit'), import('./history-fingerprint')]);
  const targetHead = await target.headPosition();
  const ours = await withBar('verify source', source, sourceHead, (store) => fingerprintHistory(store, sourceHead));
  const theirs = await withBar('verify target', target, targetHead, (store) => fingerprintHistory(store));
  const differences = compareFingerprints(ours, theirs);
  const integrity = await withBar('integrity of target', target, targetHead, (store) => verifyIntegrity(store));
  const sourceAnchor = await withBar('anchor of source', source, sourceHead, (store) => computeAnchor(store, sourceHead));
  const targetAnchor = await withBar('anchor of target', target, targetHead, (store) => computeAnchor(store, targetHead));
  // Anchor digests cover the stream heads only, not the store's own position numbering, so an anchor an
  // auditor saved before the migration still verifies against the new store.
  const anchorOk = sourceAnchor.digest === targetAnchor.digest;
  return {
    ok: differences.length === 0 && integrity.ok && anchorOk,
    sourceEvents: ours.events,
    targetEvents: theirs.events,
    streams: ours.streams.size,
    differences,
    integrity: { ok: integrity.ok, eventsChecked: integrity.eventsChecked, failures: integrity.failures.slice(0, LISTED_FAILURES) },
    anchor: { source: sourceAnchor, target: targetAnchor, ok: anchorOk },
  };
};

const describeVerification = (report: MigrationReport): string => {
  const { verification: v } = report;
  const lines = [
    `migrated ${report.from} → ${report.to}: ${report.copied} events copied, ${report.alreadyPresent} already there`,
    `  events: ${v.sourceEvents} in the source, ${v.targetEvents} in the target, ${v.streams} streams`,
    ...v.differences.map((difference) => `  difference: ${difference}`),
    `  integrity of the target: ${v.integrity.ok ? 'ok' : `${v.integrity.failures.length} failures`} (${v.integrity.eventsChecked} events checked)`,
    ...v.integrity.failures.map((failure) => `  integrity: ${failure.streamId}@${failure.revision} ${failure.reason}`),
    `  anchor: ${v.anchor.ok ? 'same digest' : 'digests differ'} (source position ${v.anchor.source.position}, target position ${v.anchor.target.position})`,
    v.ok ? 'verification ok' : 'verification FAILED',
  ];
  return `${lines.join('\n')}\n`;
};

const runMigrate = async (options: MigrateOptions): Promise<ExitCode> => {
  if (options.from === options.to) throw usageError('--from and --to name the same store');
  const opened: OpenedStore[] = [];
  try {
    const source = await openCliStore(options.from, 'read');
    opened.push(source);
    const target = await openCliStore(options.to, 'write');
    opened.push(target);
    // Events appended to the source while this runs are left for the next run, which resumes.
    const sourceHead = await source.store.headPosition();
    const { alreadyPresent, copied } = await copyHistory(source.store, target.store, sourceHead, options.batchSize);
    const verification = await verifyCopy(source.store, target.store, sourceHead);
    const report: MigrationReport = { from: source.label, to: target.label, alreadyPresent, copied, verification };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.stderr.write(describeVerification(report));
    return verification.ok ? EXIT.ok : EXIT.failed;
  } catch (error) {
    throw storeFailure(error, opened.map(({ label }) => label).join(' or '));
  } finally {
    for (const { store } of opened) await store.close().catch(() => undefined);
  }
};

export const registerMigrateCommand = (program: Command, run: (work: () => Promise<ExitCode>) => Promise<void>): void => {
  program
    .command('migrate')
    .description('copy the whole history from one store to another (ids, order, metadata, hash chains), then verify the copy; resumes an interrupted run')
    .requiredOption('--from <url>', 'source store: sqlite:<path>, esdb://… or esdb+discover://…')
    .requiredOption('--to <url>', 'target store, empty or holding a prefix of the same history')
    .option('--batch-size <n>', 'most events of one stream per append', parsePositiveInt, DEFAULT_BATCH_SIZE)
    .action((options: MigrateOptions) => run(() => runMigrate(options)));
};
