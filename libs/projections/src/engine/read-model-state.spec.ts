import { ProjectionError, apply, createState, deserialize, serialize } from './read-model-state';
import { EventLog, announce, at, registerCompany } from '../testing/recorded-events';
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
    const before = JSON.stringify(serialize(state));

    expect(() => apply(state, { ...log.events[0] })).toThrow(ProjectionError);
    expect(() => apply(state, { ...log.events[0], position: 2, data: null })).toThrow(ProjectionError);
    expect(JSON.stringify(serialize(state))).toBe(before);
  });

  it('round-trips through JSON and refuses another version', () => {
    const log = new EventLog();
    log.record(registerCompany('c1'), at('2024-01-01'));
    log.record(announce({ plantId: 'p1', companyId: 'c1' }), at('2024-01-02'));
    const state = log.state();
    const json = JSON.parse(JSON.stringify(serialize(state)));
    const time = { asOf: '2024-12-31', knownAt: at('2025-01-01') };

    expect(companyCapacity(deserialize(json), time)).toEqual(companyCapacity(state, time));
    expect(() => deserialize({ ...json, version: json.version + 1 })).toThrow();
    expect(() => deserialize('nonsense')).toThrow();
  });
});
