import { finishInSlices, finishNow } from './in-slices';

function* counting(to: number, failAt?: number): Generator<void, number> {
  let sum = 0;
  for (let i = 1; i <= to; i++) {
    if (i === failAt) throw new Error(`step ${i} failed`);
    sum += i;
    yield;
  }
  return sum;
}

describe('steps run in slices', () => {
  it('gives the result finishNow gives, with the event loop running between slices', async () => {
    let turns = 0;
    const tick = (): void => {
      turns++;
      if (turns < 1000) setImmediate(tick);
    };
    setImmediate(tick);

    const sliced = await finishInSlices(counting(100), 0);

    expect(sliced).toBe(finishNow(counting(100)));
    expect(turns).toBeGreaterThanOrEqual(99);
  });

  it('ends in its first slice when the slice is long enough, without waiting a turn', async () => {
    let turned = false;
    setImmediate(() => (turned = true));

    const result = await finishInSlices(counting(100), 60_000);

    expect(result).toBe(5050);
    expect(turned).toBe(false);
  });

  it('asks a slice length given as a function before each slice', async () => {
    // 0 ms (a step per slice) for the first three slices, then long enough to finish.
    let asked = 0;
    const sliceMs = () => (++asked <= 3 ? 0 : 60_000);

    expect(await finishInSlices(counting(100), sliceMs)).toBe(5050);
    expect(asked).toBe(4);
  });

  it('rejects with what a step throws, in any slice', async () => {
    await expect(finishInSlices(counting(10, 1), 0)).rejects.toThrow('step 1 failed');
    await expect(finishInSlices(counting(10, 7), 0)).rejects.toThrow('step 7 failed');
  });
});
