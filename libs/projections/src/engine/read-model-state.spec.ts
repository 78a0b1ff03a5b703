import { recordedAtOf } from './fact-timeline';
import {
  CheckpointVersionMismatch,
  PROJECTION_VERSION,
  ProjectionError,
  amendmentsOf,
  apply,
  checkpointMark,
  createState,
  deserialize,
  isTagged,
  locateEvent,
  locateEventsInBackground,
  rebuildFromEvents,
  serialize,
  serializeChanges,
  streamsTagged,
  tag,
} from './read-model-state';
import { EventLog, announce, at, financingRound, registerCompany, revise } from '../testing/recorded-events';
import { companyCapacity } from '../company-capacity/company-capacity.read-model';

describe('read-model state', () => {
  it('skips events of unknown types but advances its position', () => {
    const state = createState();
    apply(state, { eventId: 'x', streamId: 's', revision: 0, position: 7, type: 'SomethingElse', data: {}, metadata: {}, recordedAt: at('2024-01-01') });

    expect(state.position).toBe(7);
    expect(state.entities.size).toBe(0);
  });

  it('refuses an event that does not move the position forward, and one without object data, unchanged', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2024-01-01'));
    const state = log.state();
    const before = [...serialize(state)];

    expect(() => apply(state, { ...log.events[0] })).toThrow(ProjectionError);
    expect(() => apply(state, { ...log.events[0], position: 2, data: null })).toThrow(ProjectionError);
    expect([...serialize(state)]).toEqual(before);
  });

  it('round-trips through its lines and refuses another version, a cut or a damaged copy', async () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2024-01-01'));
    const announced = log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-02'));
    log.correct(announced, { plannedCapacityGwh: 9 }, at('2024-01-03'));
    const state = log.state();
    const lines = [...serialize(state)];
    const time = { asOf: '2024-12-31', knownAt: at('2025-01-01') };
    const restored = await deserialize(lines);

    expect(companyCapacity(restored, time)).toEqual(companyCapacity(state, time));
    expect([...serialize(restored)]).toEqual(lines);
    expect(locateEvent(restored, announced.eventId)).toEqual(locateEvent(state, announced.eventId));
    expect(amendmentsOf(restored, announced.eventId)).toEqual(amendmentsOf(state, announced.eventId));
    const otherVersion = JSON.stringify({ ...JSON.parse(lines[0]), version: PROJECTION_VERSION + 1 });
    await expect(deserialize([otherVersion, ...lines.slice(1)])).rejects.toBeInstanceOf(CheckpointVersionMismatch);
    await expect(deserialize(lines.slice(0, -1))).rejects.toThrow(/end/);
    await expect(deserialize(lines.filter((line) => !line.includes('"entity"')))).rejects.toThrow(/malformed/);
    await expect(deserialize(['nonsense'])).rejects.toThrow();
  });

  it('serializes the state as it was at the call, whatever is applied while the lines are read', async () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2024-01-01'));
    const announced = log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-02'));
    const before = new EventLog();
    before.record(registerCompany('c1'), at('2024-01-01'));
    const state = before.state();
    const expected = [...serialize(state)];
    const lines = serialize(state);
    apply(state, announced);
    apply(state, log.correct(announced, { plannedCapacityGwh: 9 }, at('2024-01-03')));

    expect([...lines]).toEqual(expected);
  });

  it('keeps every line to a slice: long entities and tags continue on further lines and read back whole', async () => {
    const log = new EventLog();
    for (let i = 0; i < 4200; i++) log.record(registerCompany(`c${i}`), at('2024-01-01'));
    const announced = log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-02'));
    for (let i = 0; i < 4200; i++) log.record(revise('p1', '2024-02-01', 10 + i), at('2024-01-03'));
    for (let i = 0; i < 4200; i++) log.correct(announced, { plannedCapacityGwh: i }, at('2024-01-04'));
    const state = log.state();
    const lines = [...serialize(state)];
    const parsed = lines.slice(1).map((line) => JSON.parse(line) as unknown[]);
    const entries = (line: unknown[]): number[] => line.filter(Array.isArray).map((list) => list.length);

    expect(Math.max(...parsed.flatMap(entries))).toBe(4096);
    expect(parsed.filter((line) => line[0] === 'more')).toHaveLength(1);
    expect(parsed.filter((line) => line[0] === 'tag' && line[1] === 'companies')).toHaveLength(2);
    const restored = await deserialize(lines);
    expect([...serialize(restored)]).toEqual(lines);
    const time = { asOf: '2024-12-31', knownAt: at('2025-01-01') };
    expect(companyCapacity(restored, time)).toEqual(companyCapacity(state, time));
    await expect(deserialize(lines.filter((line) => !line.startsWith('["entity"')))).rejects.toThrow(/malformed/);
  });

  it('lists a stream once under each tag its facts name, also after a restore, and under both when a correction moves it', async () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2024-01-01'));
    log.record(financingRound({ companyId: 'c1', roundId: 'r1', technologyRoutes: ['lfp', 'lfp', 'nmc'] }), at('2024-01-02'));
    const announced = log.record(announce({ plantId: 'p1', companyId: 'c1', technologyRoute: 'lfp' }), at('2024-01-03'));
    const restored = await deserialize(serialize(log.state()));
    const later = [
      log.record(financingRound({ companyId: 'c1', roundId: 'r2', technologyRoutes: ['nmc'] }), at('2024-01-04')),
      log.correct(announced, { plannedCapacityGwh: 9 }, at('2024-01-05')),
      log.correct(announced, { companyId: 'c2' }, at('2024-01-06')),
    ];
    for (const event of later) apply(restored, event);
    const plant = announced.streamId;
    const company = log.events[0].streamId;

    for (const state of [log.state(), restored]) {
      expect(streamsTagged(state, tag.route('lfp'))).toEqual([company, plant]);
      expect(streamsTagged(state, tag.route('nmc'))).toEqual([company]);
      expect(streamsTagged(state, tag.financing)).toEqual([company]);
      expect(streamsTagged(state, tag.plantsOfCompany('c1'))).toEqual([plant]);
      expect(streamsTagged(state, tag.plantsOfCompany('c2'))).toEqual([plant]);
      expect(streamsTagged(state, tag.plants)).toEqual([plant]);
      expect(isTagged(state, plant, tag.route('lfp'))).toBe(true);
      expect(isTagged(state, plant, tag.route('nmc'))).toBe(false);
      expect(isTagged(state, 'no-such-stream', tag.route('lfp'))).toBe(false);
    }
    expect([...serialize(restored)]).toEqual([...serialize(log.state())]);
  });

  describe('sections of changes', () => {
    /** A state checkpointed whole after `whole` events, then a section per later group, each asked for before the next group is applied. */
    const checkpointed = (log: EventLog, whole: number, groups: number[]) => {
      const state = rebuildFromEvents(log.events.slice(0, whole));
      const lines = [...serialize(state)];
      state.touched = new Set();
      let since = checkpointMark(state);
      let applied = whole;
      const sections: string[][] = [];
      for (const size of groups) {
        for (const event of log.events.slice(applied, applied + size)) apply(state, event);
        applied += size;
        const touched = state.touched;
        state.touched = new Set();
        const mark = checkpointMark(state);
        sections.push([...serializeChanges(state, since, touched, mark)]);
        since = mark;
      }
      return { state, lines, sections };
    };

    it('restore record times equal across streams and late ones in the order apply put them in the clock', async () => {
      const log = new EventLog();
      log.record(registerCompany('c1'), at('2024-01-05'));
      log.record(registerCompany('c2'), at('2024-01-05'));
      log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-05'));
      // Late: recorded before what is already in the clock, so `apply` splices them in, ties after ties.
      log.record(announce({ plantId: 'p2', companyId: 'c2' }), at('2024-01-03'));
      log.record(registerCompany('c3'), at('2024-01-03'));
      log.record(registerCompany('c4'), at('2024-01-05'));
      log.record(revise('p2', '2024-02-01', 7), at('2024-01-02'));
      const { state, lines, sections } = checkpointed(log, 2, [3, 2]);

      const restored = await deserialize([...lines, ...sections.flat()]);

      expect(restored.clock).toEqual(state.clock);
      expect([...serialize(restored)]).toEqual([...serialize(state)]);
      expect(restored.position).toBe(7);
    });

    it('split long changes over lines of a slice each, and name tag members by stream', async () => {
      const log = new EventLog();
      log.record(registerCompany('c0'), at('2024-01-01'));
      for (let i = 1; i < 4200; i++) log.record(registerCompany(`c${i}`), at('2024-01-02'));
      const { state, lines, sections } = checkpointed(log, 1, [4199]);
      const parsed = sections[0].slice(1, -1).map((line) => JSON.parse(line) as unknown[]);

      expect(parsed.filter((line) => line[0] === 'joined').map((line) => (line[2] as unknown[]).length)).toEqual([4096, 103]);
      expect((parsed.find((line) => line[0] === 'joined')![2] as string[])[0]).toBe('company-c1');
      expect(JSON.parse(sections[0].at(-1)!)).toEqual(['end', parsed.length]);
      expect([...serialize(await deserialize([...lines, ...sections[0]]))]).toEqual([...serialize(state)]);
    });

    it('are read up to the first that does not follow on from the state, and refused whole when damaged inside', async () => {
      const log = new EventLog();
      log.record(registerCompany('c1'), at('2024-01-01'));
      log.record(registerCompany('c2'), at('2024-01-02'));
      log.record(registerCompany('c3'), at('2024-01-03'));
      const { lines, sections } = checkpointed(log, 1, [1, 1]);
      const upTo = async (count: number) => [...serialize(await deserialize([...lines, ...sections.slice(0, count).flat()]))];

      // the second section again, after itself: it follows on from position 2, not 3
      expect([...serialize(await deserialize([...lines, ...sections.flat(), ...sections[1]]))]).toEqual(await upTo(2));
      // a section whose end line miscounts its lines is cut short
      expect([...serialize(await deserialize([...lines, ...sections[0], ...sections[1].slice(0, -1), JSON.stringify(['end', 5])]))]).toEqual(await upTo(1));
      // whole but not what a section holds: the checkpoint is not used at all
      const damaged = [sections[0][0], JSON.stringify(['entries', 'company-c2', [['e', 'NoSuchType', {}, 2, 0]], []]), JSON.stringify(['end', 1])];
      await expect(deserialize([...lines, ...damaged])).rejects.toThrow(/malformed/);
      const outside = [sections[0][0], JSON.stringify(['entries', 'company-c2', [[log.events[2].eventId, 'CompanyRegistered', {}, 9, 0]], []]), JSON.stringify(['end', 1])];
      await expect(deserialize([...lines, ...outside])).rejects.toThrow(/outside its section/);
    });
  });

  it('leaves out of a long entity the entries applied after the call, between its lines', () => {
    const log = new EventLog();
    const announced = log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-02'));
    for (let i = 0; i < 5000; i++) log.record(revise('p1', '2024-02-01', 10 + i), at('2024-01-03'));
    const later = [log.record(revise('p1', '2024-03-01', 99), at('2024-01-05')), log.correct(announced, { plannedCapacityGwh: 1 }, at('2024-01-05'))];
    const state = rebuildFromEvents(log.events.slice(0, -later.length));
    const expected = [...serialize(state)];
    const lines = serialize(state)[Symbol.iterator]();
    const read = [lines.next().value, lines.next().value];
    for (const event of later) apply(state, event);
    for (let next = lines.next(); !next.done; next = lines.next()) read.push(next.value);

    expect(read).toEqual(expected);
  });

  it('locates events applied before and after the first lookup', () => {
    const log = new EventLog();
    const registered = log.record(registerCompany('c1'), at('2024-01-01'));
    const state = log.state();

    expect(locateEvent(state, registered.eventId)).toEqual({ streamId: 'company-c1', type: 'CompanyRegistered', position: 1 });
    const announced = log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-02'));
    const corrected = log.correct(announced, { plannedCapacityGwh: 9 }, at('2024-01-03'));
    apply(state, announced);
    apply(state, corrected);
    expect(locateEvent(state, announced.eventId)).toEqual({ streamId: 'plant-p1', type: 'CapacityAnnounced', position: 2 });
    expect(locateEvent(state, corrected.eventId)).toEqual({ streamId: 'plant-p1', type: 'FactCorrected', position: 3 });
    expect(amendmentsOf(state, announced.eventId)).toMatchObject([{ eventId: corrected.eventId, kind: 'correction', recordedAt: at('2024-01-03') }]);
  });

  describe('locator built in the background', () => {
    const nextSlice = () => new Promise((resolve) => setImmediate(resolve));
    const companies = (count: number) => {
      const log = new EventLog();
      for (let i = 0; i < count; i++) log.record(registerCompany(`c${i}`), at('2024-01-01'));
      return log;
    };

    it('builds it in slices, taking in what is applied meanwhile to streams it has passed and to new ones', async () => {
      const log = companies(1000);
      const state = log.state();
      const build = locateEventsInBackground(state, 0);
      await nextSlice();
      expect(state.locator).toBeUndefined();

      const correction = log.correct(log.events[0], { name: 'Renamed' }, at('2024-01-02'));
      const late = log.record(registerCompany('late'), at('2024-01-02'));
      apply(state, correction);
      apply(state, late);
      await build.done;

      expect(state.locatorDraft).toBeUndefined();
      expect(state.locator?.size).toBe(log.events.length);
      for (const event of log.events) expect(locateEvent(state, event.eventId)).toMatchObject({ streamId: event.streamId, position: event.position });
    });

    it('answers a lookup that comes during the build at once, and the build then ends without replacing it', async () => {
      const log = companies(1000);
      const state = log.state();
      const build = locateEventsInBackground(state, 0);
      await nextSlice();

      const lastCompany = log.events[999];
      expect(locateEvent(state, lastCompany.eventId)?.streamId).toBe('company-c999');
      const built = state.locator;
      await build.done;
      expect(state.locator).toBe(built);
      expect(state.locatorDraft).toBeUndefined();

      const late = log.record(registerCompany('late'), at('2024-01-02'));
      apply(state, late);
      expect(locateEvent(state, late.eventId)?.position).toBe(late.position);
    });
  });

  it('checkpoints a record time only when it is not the ISO form of its epoch ms, and restores it exactly', async () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), '2024-01-01T00:00:00.000Z');
    log.record(registerCompany('c2'), '2024-01-02T00:00:00Z');
    const restored = await deserialize(serialize(log.state()));
    const facts = [...restored.entities.values()].map((timeline) => timeline.facts[0]);

    expect(facts.map((fact) => fact.recordedAt)).toEqual([undefined, '2024-01-02T00:00:00Z']);
    expect(facts.map(recordedAtOf)).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00Z']);
  });
});
