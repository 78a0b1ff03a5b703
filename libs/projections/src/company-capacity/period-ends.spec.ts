import { defaultTimelineFrom, periodEnds } from './period-ends';

describe('period ends', () => {
  it.each([
    ['2024-02-10', '2024-05-15', 'month', ['2024-02-29', '2024-03-31', '2024-04-30', '2024-05-15']],
    ['2024-02-10', '2024-08-15', 'quarter', ['2024-03-31', '2024-06-30', '2024-08-15']],
    ['2022-06-01', '2024-12-31', 'year', ['2022-12-31', '2023-12-31', '2024-12-31']],
    ['2024-03-31', '2024-03-31', 'quarter', ['2024-03-31']],
  ] as const)('from %s to %s by %s', (from, to, interval, expected) => {
    expect(periodEnds(from, to, interval)).toEqual(expected);
  });

  it('refuses a reversed or unbounded range', () => {
    expect(() => periodEnds('2024-02-01', '2024-01-01', 'month')).toThrow(RangeError);
    expect(() => periodEnds('1000-01-01', '2999-01-01', 'month')).toThrow(RangeError);
  });
});

describe('defaultTimelineFrom', () => {
  it('is 1 January five years before the year of to, with four-digit years', () => {
    expect(defaultTimelineFrom('2025-12-31')).toBe('2020-01-01');
    expect(defaultTimelineFrom('2025-01-01')).toBe('2020-01-01');
    expect(defaultTimelineFrom('0007-06-30')).toBe('0002-01-01');
  });
});
