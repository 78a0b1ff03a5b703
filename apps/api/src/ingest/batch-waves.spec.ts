import { planWaves } from './batch-waves';

const writes = (stream: string, reads: string[] = []) => ({ writes: stream, reads });

describe('planning a batch in waves', () => {
  it('keeps independent items together', () => {
    expect(planWaves([writes('plant-a'), writes('plant-b'), writes('company-c')])).toEqual([[0, 1, 2]]);
  });

  it('puts a second fact on the same stream in a later wave', () => {
    expect(planWaves([writes('plant-a'), writes('plant-b'), writes('plant-a')])).toEqual([[0, 1], [2]]);
  });

  it('puts an item after the registration it refers to', () => {
    expect(planWaves([writes('company-catl'), writes('plant-catl-hu', ['company-catl'])])).toEqual([[0], [1]]);
  });

  it('does not let a later item write a stream an earlier item of the wave read', () => {
    expect(planWaves([writes('plant-x', ['company-new']), writes('company-new')])).toEqual([[0], [1]]);
  });

  it('runs an item whose stream is unknown until it decides on its own', () => {
    expect(planWaves([writes('plant-a'), { writes: undefined, reads: [] }, writes('plant-b')])).toEqual([[0], [1], [2]]);
  });

  it('lets refused items join the open wave', () => {
    expect(planWaves([writes('plant-a'), undefined, writes('plant-a'), undefined])).toEqual([[0, 1], [2, 3]]);
  });

  it('closes a wave at the size limit', () => {
    expect(planWaves([writes('a'), writes('b'), writes('c'), writes('d'), writes('e')], 2)).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('keeps every index exactly once and in order', () => {
    const footprints = Array.from({ length: 50 }, (_, i) => (i % 7 === 0 ? undefined : writes(`plant-${i % 5}`, i % 3 === 0 ? ['company-1'] : [])));
    expect(planWaves(footprints).flat()).toEqual(footprints.map((_, i) => i));
  });
});
