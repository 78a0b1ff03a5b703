import fc from 'fast-check';
import { TARIFF_PRODUCTS } from '@bsc/domain';
import { StoredEvent } from '@bsc/event-store';
import { companyCapacity } from '../company-capacity/company-capacity.read-model';
import { overseasExpansion } from '../overseas-expansion/overseas-expansion.read-model';
import { effectiveTariff } from '../tariffs/effective-tariff.read-model';
import { stepOf, toLog } from '../testing/generated-log';
import { ReadModelState, apply, checkpointMark, deserialize, rebuildFromEvents, serialize, serializeChanges } from './read-model-state';

const history = fc
  .array(stepOf('company', 'plant', 'plant-step', 'tariff', 'tariff-step', 'amend'), { minLength: 1, maxLength: 60 })
  .map((steps) => toLog(steps))
  .filter((events) => events.length > 0);

const QUERY_DAYS = ['2023-12-31', '2024-06-30', '2025-03-31', '2026-01-01'];

/** A battery of answers at one knownAt, across read models and valid times. */
const answers = (state: ReadModelState, knownAt: string) =>
  QUERY_DAYS.map((asOf) => ({
    capacity: companyCapacity(state, { asOf, knownAt }),
    overseas: overseasExpansion(state, { asOf, knownAt }),
    tariffs: TARIFF_PRODUCTS.slice(0, 3).map((product) => effectiveTariff(state, { asOf, knownAt }, { importer: 'US', origin: 'CN', product })),
  }));

const LATEST = '2100-01-01T00:00:00Z';

/** Answers with every `position` echo removed, for comparing logs whose positions differ. */
const withoutPositions = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, item) => (key === 'position' ? undefined : item));

describe('projection properties', () => {
  it('an incremental projection through a checkpoint equals a rebuild from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.nat(), async (events, cut) => {
        const split = cut % (events.length + 1);
        const before = rebuildFromEvents(events.slice(0, split));
        const restored = await deserialize(serialize(before));
        for (const event of events.slice(split)) apply(restored, event);
        const rebuilt = rebuildFromEvents(events);

        expect([...serialize(restored)]).toEqual([...serialize(rebuilt)]);
        expect(answers(restored, LATEST)).toEqual(answers(rebuilt, LATEST));
      }),
      { numRuns: 100 },
    );
  });

  it('a checkpoint of the whole state and sections of what changed since restores what a rebuild builds; a section cut short is left out', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.nat(), fc.nat(), fc.nat(), async (events, cutA, cutB, cutTail) => {
        const a = cutA % (events.length + 1);
        const b = a + (cutB % (events.length - a + 1));
        const live = rebuildFromEvents(events.slice(0, a));
        const whole = [...serialize(live)];
        live.touched = new Set();
        let since = checkpointMark(live);
        for (const event of events.slice(a, b)) apply(live, event);
        const touched = live.touched;
        live.touched = new Set();
        const mark = checkpointMark(live);
        // Asked for before the rest is applied, read after: it still describes the state at `mark`.
        const firstLines = serializeChanges(live, since, touched, mark);
        since = mark;
        for (const event of events.slice(b)) apply(live, event);
        const first = [...firstLines];
        const second = [...serializeChanges(live, since, live.touched)];
        const rebuilt = rebuildFromEvents(events);

        const restored = await deserialize([...whole, ...first, ...second]);
        expect([...serialize(restored)]).toEqual([...serialize(rebuilt)]);
        expect(answers(restored, LATEST)).toEqual(answers(rebuilt, LATEST));

        // A crash while the second section was added: cut anywhere before its end line, even inside a line.
        const secondText = second.join('\n');
        const cutAt = cutTail % (secondText.length - second[second.length - 1].length);
        const cutShort = secondText.slice(0, cutAt).split('\n');
        const upToFirst = rebuildFromEvents(events.slice(0, b));
        expect([...serialize(await deserialize([...whole, ...first, ...cutShort]))]).toEqual([...serialize(upToFirst)]);
      }),
      { numRuns: 100 },
    );
  });

  it('the answer known at the record time of event N equals the answer from the first N events alone', () => {
    fc.assert(
      fc.property(history, fc.nat(), (events, pick) => {
        const n = (pick % events.length) + 1;
        const knownAt = events[n - 1].recordedAt;

        expect(answers(rebuildFromEvents(events), knownAt)).toEqual(answers(rebuildFromEvents(events.slice(0, n)), knownAt));
      }),
      { numRuns: 100 },
    );
  });

  it('interleaving streams differently, each in its own order and with its record times, changes no answer', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(), { minLength: 1, maxLength: 200 }), (events, choices) => {
        const queues = new Map<string, StoredEvent[]>();
        for (const event of events) queues.set(event.streamId, [...(queues.get(event.streamId) ?? []), event]);
        const remaining = [...queues.values()];
        const shuffled: StoredEvent[] = [];
        for (let i = 0; remaining.length > 0; i++) {
          const at = choices[i % choices.length] % remaining.length;
          shuffled.push({ ...remaining[at].shift()!, position: shuffled.length + 1 });
          if (remaining[at].length === 0) remaining.splice(at, 1);
        }
        const original = rebuildFromEvents(events);
        const reordered = rebuildFromEvents(shuffled);
        const knownAts = [events[Math.floor(events.length / 2)].recordedAt, LATEST];

        for (const knownAt of knownAts) {
          expect(withoutPositions(answers(reordered, knownAt))).toEqual(withoutPositions(answers(original, knownAt)));
        }
      }),
      { numRuns: 100 },
    );
  });
});
