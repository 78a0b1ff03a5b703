import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureHistory } from '../bench/history-generator';
import { ON_ESDB, TestApp, startTestApp } from '../support/test-app';
import { expectProblem } from '../support/write-helpers';

/**
 * The replay line over HTTP, on a log long enough (the bench generator's, 30 000 events) that a replay of
 * the company list takes a good part of a second: requests sent together all arrive while the first runs.
 */
jest.setTimeout(120_000);

const MAX_WAITING = 8;
let app: TestApp;

const replay = () =>
  app.http().post('/v1/audit/replays').set(app.auth('auditor')).send({ readModel: 'company-capacity', params: {}, asOf: '2026-01-01' });

// The long log is a SQLite data directory made by the bench generator.
(ON_ESDB ? describe.skip : describe)('the replay line', () => {
  beforeAll(async () => {
    const history = ensureHistory(30_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-e2e-replays-'));
    fs.cpSync(history.dataDir, dataDir, { recursive: true });
    // At info, to see the line a given-up replay leaves.
    app = await startTestApp({ LOG_LEVEL: 'info' }, dataDir);
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it(`takes the running replay and ${MAX_WAITING} waiting, and refuses more at once with 503 and Retry-After`, async () => {
    const answers = await Promise.all(Array.from({ length: MAX_WAITING + 4 }, () => replay()));

    const refused = answers.filter((answer) => answer.status === 503);
    const answered = answers.filter((answer) => answer.status === 200);
    expect(answered.length + refused.length).toBe(answers.length);
    expect(answered.length).toBeLessThanOrEqual(MAX_WAITING + 1);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const answer of refused) {
      expectProblem(answer, 503);
      expect(answer.body).toMatchObject({ type: '/problems/replays-busy' });
      expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    }
    expect(answered.every((answer) => (answer.body as { matchesLive: boolean }).matchesLive)).toBe(true);
    // Once the line is empty again, a replay is taken.
    expect((await replay()).status).toBe(200);
  });

  it('gives up the replay of a client that disconnects, and goes on with the next', async () => {
    const running = replay();
    // Gone while its replay waits behind the running one.
    await expect(replay().timeout(100)).rejects.toMatchObject({ timeout: 100 });
    const next = replay();

    expect((await running).status).toBe(200);
    expect((await next).status).toBe(200);
    expect(app.output().split('\n').filter((line) => line.includes('replay given up: the client disconnected'))).toHaveLength(1);
  });
});
