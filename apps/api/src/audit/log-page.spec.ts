import { StoredEvent } from '@bsc/event-store';
import { logPage } from './log-page';

/** A log with gapped positions, as on EventStoreDB (byte offsets): only these numbers are positions of it. */
const LOG: StoredEvent[] = ['A', 'B', 'A', 'A', 'B', 'A', 'B', 'B'].map((type, i) => ({
  eventId: `event-${i}`,
  streamId: `stream-${i % 3}`,
  revision: Math.floor(i / 3),
  position: 1000 + i * 137,
  type,
  data: {},
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
}));

/** The log from `fromPosition` on, as a store reads it: a start that is no event's position is refused. */
async function* readFrom(fromPosition?: number): AsyncIterable<StoredEvent> {
  if (fromPosition !== undefined && fromPosition !== 0 && !LOG.some((event) => event.position === fromPosition)) throw new Error(`no event at ${fromPosition}`);
  for (const event of LOG) if (fromPosition === undefined || event.position >= fromPosition) yield event;
}

const isB = (event: StoredEvent) => event.type === 'B';

/** Every page from the start until nextPosition is null. */
const allPages = async (limit: number, scanBudget: number) => {
  const pages: { ids: string[]; nextPosition: number | null }[] = [];
  let from: number | undefined;
  for (;;) {
    const { events, nextPosition } = await logPage(readFrom(from), isB, limit, scanBudget);
    pages.push({ ids: events.map((event) => event.eventId), nextPosition });
    if (nextPosition === null || pages.length > LOG.length) return pages;
    from = nextPosition;
  }
};

describe('logPage', () => {
  it('ends a full page at the next match, which the next page starts with', async () => {
    expect(await allPages(2, 100)).toEqual([
      { ids: ['event-1', 'event-4'], nextPosition: LOG[6].position },
      { ids: ['event-6', 'event-7'], nextPosition: null },
    ]);
  });

  it('ends a page past the scan budget at the first event not looked at: a position of the log, never one computed', async () => {
    const pages = await allPages(10, 3);

    expect(pages).toEqual([
      { ids: ['event-1'], nextPosition: LOG[3].position },
      { ids: ['event-4'], nextPosition: LOG[6].position },
      { ids: ['event-6', 'event-7'], nextPosition: null },
    ]);
  });

  it('says the log ended when it ends right at the budget', async () => {
    expect(await logPage(readFrom(LOG[5].position), isB, 10, 3)).toEqual({ events: [LOG[6], LOG[7]], nextPosition: null });
  });
});
