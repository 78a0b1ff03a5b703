// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; OpenAPI metadata plays no part here.
jest.mock('@nestjs/swagger', () => ({ ApiProperty: () => () => undefined, ApiPropertyOptional: () => () => undefined }));

import { DomainCommand, RuleViolated } from '@bsc/domain';
import { verifyIntegrity } from '@bsc/audit';
import { StoredEvent, StreamAppend } from '@bsc/event-store';
import { MemoryEventStore } from '@bsc/event-store/adapters/memory/memory-event-store';
import { ProblemException } from '../http/problem';
import { WriteContext } from '../http/write-context';
import { FactRecorder, FactToRecord } from './fact-recorder';

const context: WriteContext = { principal: { name: 'integrator-test', role: 'integrator' }, correlationId: 'c-1', causationId: 'c-1' };
const source = { publisher: 'Test' };
const company = (companyId: string): DomainCommand => ({ kind: 'company', companyId, name: companyId, headquartersCountry: 'CN' });
const startConstruction = (plantId: string): DomainCommand => ({ kind: 'construction-start', plantId, startedOn: '2025-12-29' });
const fact = (command: DomainCommand, overrides: Partial<WriteContext> = {}): FactToRecord => ({ command, source, context: { ...context, ...overrides } });
const noLocator = { locate: async () => undefined };

const collect = async (iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for await (const event of iterable) events.push(event);
  return events;
};

/** A store where another process writes to `streamId` just before the recorder's next appendMany lands. */
class RacedStore extends MemoryEventStore {
  appendManyCalls = 0;
  constructor(private readonly race: (store: MemoryEventStore) => Promise<void>) {
    super();
  }

  override async appendMany(appends: readonly StreamAppend[]) {
    if (this.appendManyCalls++ === 0) await this.race(this);
    return super.appendMany(appends);
  }
}

const announce = (plantId: string) => ({ kind: 'capacity-announcement', plantId, companyId: 'catl', country: 'HU', technologyRoute: 'lfp', plannedCapacityGwh: 10, announcedOn: '2025-01-01', name: plantId }) as DomainCommand;

describe('FactRecorder.recordMany', () => {
  it('writes a wave in one appendMany with the results recording one at a time would give, chained', async () => {
    const store = new RacedStore(async () => undefined);
    const recorder = new FactRecorder(store, noLocator);
    const outcomes = await recorder.recordMany([fact(company('catl')), fact(announce('debrecen')), fact(startConstruction('debrecen')), fact(company('catl'))]);

    expect(outcomes.map((outcome) => (outcome.ok ? outcome.fact.revision : (outcome.error as Error).name))).toEqual([0, 0, 1, 'RuleViolated']);
    // [company] | [announcement naming it] | [construction start, second company]: one appendMany per wave
    expect(store.appendManyCalls).toBe(3);
    const plant = await collect(store.readStream('plant-debrecen'));
    expect(plant.map((event) => event.eventId)).toEqual(outcomes.slice(1, 3).map((outcome) => (outcome.ok ? outcome.fact.eventId : undefined)));
    expect(await verifyIntegrity(store)).toMatchObject({ ok: true, eventsChecked: 3 });
  });

  it('retries an item whose stream another writer moved, with fresh state, and writes the rest of the wave', async () => {
    const store = new RacedStore(async (inner) => {
      // Another process registers the same company between the wave's read and its append.
      await new FactRecorder(inner, noLocator).record(company('byd'), source, context);
    });
    const recorder = new FactRecorder(store, noLocator);
    const outcomes = await recorder.recordMany([fact(company('byd')), fact(company('gotion'))]);

    expect(outcomes[0].ok ? 'written' : outcomes[0].error).toBeInstanceOf(RuleViolated);
    expect(outcomes[1]).toMatchObject({ ok: true, fact: { streamId: 'company-gotion', revision: 0 } });
    expect(await collect(store.readStream('company-byd'))).toHaveLength(1);
  });

  it('answers 412 for an If-Match item whose stream another writer moved, as a single write would, and writes the rest', async () => {
    const rename = (name: string): DomainCommand => ({ kind: 'company-rename', companyId: 'eve', name, renamedOn: '2026-01-01' });
    const store = new RacedStore(async (inner) => {
      await new FactRecorder(inner, noLocator).record(rename('EVE Energy'), source, context);
    });
    const recorder = new FactRecorder(store, noLocator);
    await recorder.record(company('eve'), source, context);

    const [renamed, other] = await recorder.recordMany([fact(rename('Eve'), { expectedRevision: 0 }), fact(company('sunwoda'))]);

    const error = renamed.ok ? undefined : renamed.error;
    expect(error).toBeInstanceOf(ProblemException);
    expect(error).toMatchObject({ status: 412, slug: 'precondition-failed', extensions: { currentRevision: 1 } });
    expect(other).toMatchObject({ ok: true, fact: { streamId: 'company-sunwoda', revision: 0 } });
    expect(await collect(store.readStream('company-eve'))).toHaveLength(2);
  });

  it('keeps a single write and a wave on the same stream in turn within the process', async () => {
    const store = new MemoryEventStore();
    const recorder = new FactRecorder(store, noLocator);
    await recorder.record(company('catl'), source, context);
    await recorder.record(announce('szeged'), source, context);
    const appendMany = jest.spyOn(store, 'appendMany');
    const append = jest.spyOn(store, 'append');

    const [many, single] = await Promise.all([recorder.recordMany([fact(startConstruction('szeged'))]), recorder.record(startConstruction('szeged'), source, context).catch((error: unknown) => error)]);

    // Queued behind the wave, the single write reads the construction start and is refused by the rule
    // without ever trying to append (no lost race, no retry).
    expect(many[0]).toMatchObject({ ok: true, fact: { revision: 1 } });
    expect(single).toBeInstanceOf(RuleViolated);
    expect(appendMany).toHaveBeenCalledTimes(1);
    expect(append).not.toHaveBeenCalled();
  });
});
