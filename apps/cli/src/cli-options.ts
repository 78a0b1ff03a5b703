import { InvalidArgumentError, Option } from 'commander';
import { isInstant, isIsoDate } from '@bsc/domain';
import { DEFAULT_STORE_URL } from './cli-store';

/** `--store <url>`, shared by every command that works on one store. */
export const storeOption = (): Option =>
  new Option('--store <url>', `event store: sqlite:<path>, esdb://… or esdb+discover://… (default: $EVENT_STORE_URL, else ${DEFAULT_STORE_URL})`);

export const parsePosition = (value: string): number => {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer log position');
  return Number(value);
};

export const parsePositiveInt = (value: string): number => {
  if (!/^\d{1,9}$/.test(value) || Number(value) === 0) throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
};

export const parseIsoDate = (value: string): string => {
  if (!isIsoDate(value)) throw new InvalidArgumentError('must be a calendar date, e.g. 2025-12-31');
  return value;
};

export const parseInstant = (value: string): string => {
  if (!isInstant(value)) throw new InvalidArgumentError('must be an RFC 3339 instant with an offset, e.g. 2026-01-05T00:00:00Z');
  return value;
};

/** Collects repeated `--param key=value` into one record. */
export const collectParam = (value: string, previous: Record<string, string> = {}): Record<string, string> => {
  const match = /^([A-Za-z][\w-]*)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError('must be key=value, e.g. companyId=catl');
  if (Object.hasOwn(previous, match[1])) throw new InvalidArgumentError(`${match[1]} is given twice`);
  return { ...previous, [match[1]]: match[2] };
};
