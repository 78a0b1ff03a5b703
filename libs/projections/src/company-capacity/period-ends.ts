/** Granularity of a capacity timeline. */
export type TimelineInterval = 'month' | 'quarter' | 'year';

/** Upper bound on points per timeline, so one request cannot ask for an unbounded answer. */
export const MAX_TIMELINE_POINTS = 1200;

const MONTHS_PER: Record<TimelineInterval, number> = { month: 1, quarter: 3, year: 12 };

/**
 * The end of each period from the one holding `from` to the one holding `to`, the last clipped to `to`.
 * Throws RangeError when `from` is after `to` or there would be more than MAX_TIMELINE_POINTS points.
 *
 * @example
 *   periodEnds('2024-02-10', '2024-08-15', 'quarter') // ['2024-03-31', '2024-06-30', '2024-08-15']
 */
export const periodEnds = (from: string, to: string, interval: TimelineInterval): string[] => {
  if (from > to) throw new RangeError(`from ${from} is after to ${to}`);
  const step = MONTHS_PER[interval];
  const [fromYear, fromMonth] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  let monthIndex = fromYear * 12 + (Math.ceil(fromMonth / step) * step - 1);
  const ends: string[] = [];
  for (;;) {
    const end = lastDayOf(Math.floor(monthIndex / 12), (monthIndex % 12) + 1);
    if (end >= to) {
      ends.push(to);
      return ends;
    }
    ends.push(end);
    if (ends.length >= MAX_TIMELINE_POINTS) throw new RangeError(`more than ${MAX_TIMELINE_POINTS} points`);
    monthIndex += step;
  }
};

const lastDayOf = (year: number, month: number): string =>
  new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/** How far back a capacity timeline reaches when `from` is not given. */
const DEFAULT_TIMELINE_YEARS = 5;

/** A capacity timeline's `from` when none is given: 1 January five years before `to`'s year. */
export const defaultTimelineFrom = (to: string): string => `${String(Number(to.slice(0, 4)) - DEFAULT_TIMELINE_YEARS).padStart(4, '0')}-01-01`;
