import type { Response } from 'supertest';
import { TestApp } from './test-app';
import { companyBody, uniqueId } from './seed-bodies';

/** The contract's write result: `201 { eventId, streamId, revision, position, recordedAt }`. */
export interface WriteResult {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Asserts a 201 write result of the contract's shape and returns it. */
export const expectWritten = (response: Response, streamId?: string): WriteResult => {
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status}: ${JSON.stringify(response.body)}`);
  const body = response.body as WriteResult;
  expect(body.eventId).toMatch(UUID);
  expect(typeof body.streamId).toBe('string');
  if (streamId !== undefined) expect(body.streamId).toBe(streamId);
  expect(Number.isInteger(body.revision)).toBe(true);
  expect(Number.isInteger(body.position)).toBe(true);
  expect(Number.isNaN(Date.parse(body.recordedAt))).toBe(false);
  return body;
};

/** Asserts an RFC 9457 problem with the given status and returns its body. */
export const expectProblem = (response: Response, status: number): { type: string; title: string; status: number; detail: string; errors?: { field: string; message: string }[] } => {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.body as { type: string; title: string; status: number; detail: string; errors?: { field: string; message: string }[] };
  expect(body.status).toBe(status);
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
};

/** Every named field appears in `errors[]` (as itself or as the parent of a nested field). */
export const expectFieldErrors = (response: Response, fields: readonly string[]): void => {
  const problem = expectProblem(response, 400);
  expect(Array.isArray(problem.errors)).toBe(true);
  const listed = (problem.errors ?? []).map((error) => error.field);
  const missing = fields.filter((field) => !listed.some((name) => name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`)));
  expect({ missing, listed }).toEqual({ missing: [], listed });
};

/** The global position of a fresh probe write (a new company). */
export const probePosition = async (app: TestApp): Promise<number> => {
  const response = await app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(uniqueId('probe')));
  return expectWritten(response, undefined).position;
};

/**
 * The positions of the events stored at and after `from` (at most `limit`), as the audit log lists them:
 * positions are counts on SQLite and byte offsets on EventStoreDB, so tests compare them, never add to them.
 */
const positionsFrom = async (app: TestApp, from: number, limit = 10): Promise<number[]> => {
  const response = await app.http().get(`/v1/audit/events?fromPosition=${from}&limit=${limit}`).set(app.auth('auditor'));
  expect(response.status).toBe(200);
  return (response.body as { events: { position: number }[] }).events.map((event) => event.position);
};

/**
 * Runs a request that must be refused and proves nothing was stored: the probe write after it is the
 * next event of the log after the probe write before it.
 */
export const expectNothingWritten = async <T>(app: TestApp, refused: () => Promise<T>): Promise<T> => {
  const before = await probePosition(app);
  const result = await refused();
  const after = await probePosition(app);
  expect(await positionsFrom(app, before)).toEqual([before, after]);
  return result;
};
