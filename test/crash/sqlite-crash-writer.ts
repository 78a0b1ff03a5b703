/**
 * Child process for the crash test: appends to a SQLite event store as fast as it can from many
 * concurrent writers, each on its own stream with exact expected revisions, and reports every
 * append only after its promise resolved (that is, after the commit):
 *
 *   ack <eventId> <streamId> <revision> <position>
 *
 * The test kills it with SIGKILL at random moments; every acknowledged line must survive.
 * Usage: sqlite-crash-writer.ts <database file> [writers]
 */
import { randomUUID } from 'node:crypto';
import { ExpectedRevision, NewEvent, NO_STREAM, StreamNotFound } from '@bsc/event-store';
import { SqliteEventStore } from '@bsc/event-store/adapters/sqlite/sqlite-event-store';

/** A forgotten writer must not fill the disk if the test runner itself dies. */
const GIVE_UP_AFTER_MS = 120_000;

async function main(): Promise<void> {
  const [filePath, writersArgument = '16'] = process.argv.slice(2);
  if (!filePath) throw new Error('usage: sqlite-crash-writer.ts <database file> [writers]');
  setTimeout(() => process.exit(3), GIVE_UP_AFTER_MS).unref();
  // If the test runner goes away, writing to its pipe fails; stop rather than write unobserved.
  process.stdout.on('error', () => process.exit(4));

  const store = SqliteEventStore.open(filePath);
  process.stdout.write('ready\n');
  const streams = Array.from({ length: Number(writersArgument) }, (_, w) => `crash-writer-${w}`);
  await Promise.all(streams.map((streamId) => writeForever(store, streamId)));
}

async function writeForever(store: SqliteEventStore, streamId: string): Promise<never> {
  let expected: ExpectedRevision = await currentRevision(store, streamId);
  for (;;) {
    const events: NewEvent[] = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => ({
      eventId: randomUUID(),
      type: 'CrashTested',
      data: { streamId, note: 'ünïcødé 🔋 電池' },
      metadata: { writerPid: process.pid },
    }));
    const { revision, position } = await store.append(streamId, events, { expectedRevision: expected });
    // Events of one append sit at consecutive positions, ending at the reported one.
    const first = position - (events.length - 1);
    const firstRevision = revision - (events.length - 1);
    process.stdout.write(events.map((event, i) => `ack ${event.eventId} ${streamId} ${firstRevision + i} ${first + i}\n`).join(''));
    expected = revision;
  }
}

async function currentRevision(store: SqliteEventStore, streamId: string): Promise<ExpectedRevision> {
  try {
    for await (const last of store.readStream(streamId, { direction: 'backwards', limit: 1 })) return last.revision;
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return NO_STREAM;
}

main().catch((error: unknown) => {
  process.stderr.write(`crash writer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
