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

/** The global position of a fresh probe write (a new company): positions grow by one per stored event. */
export const probePosition = async (app: TestApp): Promise<number> => {
  const response = await app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(uniqueId('probe')));
  return expectWritten(response, undefined).position;
};

/**
 * Runs a request that must be refused and proves nothing was stored: the probe write after it lands
 * exactly one position after the probe write before it.
 */
export const expectNothingWritten = async <T>(app: TestApp, refused: () => Promise<T>): Promise<T> => {
  const before = await probePosition(app);
  const result = await refused();
  const after = await probePosition(app);
  expect(after).toBe(before + 1);
  return result;
};
