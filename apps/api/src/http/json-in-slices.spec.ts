import fc from 'fast-check';
import { jsonOfSharedElements, jsonPieces, jsonStreamInSlices } from './json-in-slices';

describe('JSON text in slices', () => {
  it('is exactly what JSON.stringify makes of any plain answer, whatever the piece length', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()))), fc.integer({ min: 1, max: 200 }), (answer, pieceLength) => {
        expect([...jsonPieces(answer, pieceLength)].join('')).toBe(JSON.stringify(answer));
      }),
      { numRuns: 300 },
    );
  });

  it('is exactly JSON.stringify for nested answers too, whatever the piece length', () => {
    const nested = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie('value'), { maxLength: 4 }), tie('object')),
      object: fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(nested.object, fc.integer({ min: 1, max: 200 }), (answer, pieceLength) => {
        expect([...jsonPieces(answer as object, pieceLength)].join('')).toBe(JSON.stringify(answer));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out and writes null for what JSON.stringify leaves out or nulls', () => {
    const answer = {
      skipped: undefined,
      fn: () => 1,
      rows: [1, undefined, () => 2, { a: undefined, b: 2 }],
      when: new Date(0),
      inner: { at: new Date(1), gone: undefined, rows: [undefined], own: { toJSON: () => 'own' } },
      last: 'x',
    };

    expect([...jsonPieces(answer, 4)].join('')).toBe(JSON.stringify(answer));
  });

  it('cuts a long list into pieces of about the piece length, whole rows each', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ companyId: `company-${i}`, operationalGwh: i / 10 }));
    const pieces = [...jsonPieces({ position: 7, companies: rows, totals: { operationalGwh: 1 } }, 1024)];

    expect(pieces.length).toBeGreaterThan(20);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(1024 + 64);
    expect(JSON.parse(pieces.join(''))).toEqual({ position: 7, companies: rows, totals: { operationalGwh: 1 } });
  });

  it('cuts a list inside a wrapper too, as a replay sends its result', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ companyId: `company-${i}`, operationalGwh: i / 10 }));
    const answer = { result: { asOf: '2025-12-31', companies: rows }, position: 9, matchesLive: true };
    const pieces = [...jsonPieces(answer, 1024)];

    expect(pieces.length).toBeGreaterThan(20);
    expect(pieces.join('')).toBe(JSON.stringify(answer));
  });

  it('streams the text, letting the event loop run while it is made', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ companyId: `company-${i}`, name: `Company ${i}`, operationalGwh: i / 10, byRoute: { lfp: { operationalGwh: 1 } } }));
    const stream = jsonStreamInSlices({ companies: rows }, 10);
    let turns = 0;
    const tick = (): void => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const chunks: string[] = [];
    for await (const chunk of stream) chunks.push(String(chunk));
    done = true;

    expect(chunks.join('')).toBe(JSON.stringify({ companies: rows }));
    expect(turns).toBeGreaterThan(1);
  });

  describe('with shared elements', () => {
    it('is exactly what JSON.stringify makes of any answer, the first time and again', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()))), (answer) => {
          expect(jsonOfSharedElements(answer)).toBe(JSON.stringify(answer));
          expect(jsonOfSharedElements(answer)).toBe(JSON.stringify(answer));
        }),
        { numRuns: 300 },
      );
    });

    it('writes an element once: the next answer holding the same object reuses its text', () => {
      const entry = { on: '2026-01-05', kind: 'capacity-announcement', summary: 'Xinjie Energy announced 10 GWh' };
      const first = { asOf: '2026-06-30', entries: [entry], nextCursor: null };
      const stringify = jest.spyOn(JSON, 'stringify');
      try {
        expect(jsonOfSharedElements(first)).toBe(JSON.stringify(first));
        stringify.mockClear();
        const later = { ...entry, on: '2026-07-01' };
        const second = { asOf: '2026-07-31', entries: [entry, later], nextCursor: 'x' };

        expect(jsonOfSharedElements(second)).toBe(JSON.stringify(second));
        expect(stringify.mock.calls.filter(([value]) => value === entry)).toHaveLength(0);
        expect(stringify.mock.calls.filter(([value]) => value === later)).toHaveLength(1);
      } finally {
        stringify.mockRestore();
      }
    });
  });
});
