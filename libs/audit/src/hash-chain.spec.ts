import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, hashEvent, sealEvent } from './hash-chain';

const event = {
  eventId: '6d1f3c5e-5b1a-4b7e-9a55-0d1f0c3a9e01',
  streamId: 'plant-xinjie-2gwh',
  type: 'PlantCommissioned',
  data: { plantId: 'xinjie-2gwh', commissionedOn: '2025-12-28', capacityGwh: 2 },
  metadata: {
    schemaVersion: 1,
    recordedAt: '2026-01-02T08:00:00.000Z',
    recordedBy: 'integrator-1a2b3c4d',
    source: { publisher: 'Battery weekly', publishedOn: '2026-01-02' },
    correlationId: 'c-1',
    causationId: 'c-1',
    prevHash: GENESIS_HASH,
  },
};

describe('canonical JSON', () => {
  it('orders keys so that equal values serialise equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, 'x'] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('drops undefined members and keeps unicode exactly', () => {
    expect(canonicalJson({ a: undefined, b: '固态电池 🔋' })).toBe('{"b":"固态电池 🔋"}');
  });

  it('refuses numbers JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
  });
});

describe('hash chain', () => {
  it('is a stable SHA-256 hex digest', () => {
    expect(hashEvent(event)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(event)).toBe(hashEvent({ ...event, metadata: { ...event.metadata } }));
  });

  it('is the digest histories already stored carry: SHA-256 of the canonical JSON, computed independently', () => {
    // printf '%s' '{"data":{"capacityGwh":2,...},"eventId":...,"type":"PlantCommissioned"}' | sha256sum
    expect(hashEvent(event)).toBe('e01ac51671ce68caf0cbdbdb8b8dd8dc4131a68f338af40a8f6e86e04ee32560');
  });

  it.each([
    ['data', { ...event, data: { ...event.data, capacityGwh: 3 } }],
    ['type', { ...event, type: 'PlantCancelled' }],
    ['stream', { ...event, streamId: 'plant-other' }],
    ['event id', { ...event, eventId: '6d1f3c5e-5b1a-4b7e-9a55-0d1f0c3a9e02' }],
    ['recordedAt', { ...event, metadata: { ...event.metadata, recordedAt: '2026-01-03T08:00:00.000Z' } }],
    ['recordedBy', { ...event, metadata: { ...event.metadata, recordedBy: 'admin-00000000' } }],
    ['source', { ...event, metadata: { ...event.metadata, source: { publisher: 'Other' } } }],
    ['prevHash', { ...event, metadata: { ...event.metadata, prevHash: 'f'.repeat(64) } }],
  ])('changes when the %s changes', (_field, changed) => {
    expect(hashEvent(changed)).not.toBe(hashEvent(event));
  });

  it('ignores fields it does not seal, including a stale hash', () => {
    expect(hashEvent({ ...event, metadata: { ...event.metadata, hash: 'x', transport: 'y' } })).toBe(hashEvent(event));
  });

  it('seals metadata with its own hash', () => {
    const sealed = sealEvent(event);
    expect(sealed.hash).toBe(hashEvent(event));
    expect(sealed.prevHash).toBe(GENESIS_HASH);
  });
});
