import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { announcementBody, capacityRevisionBody, commissioningBody, companyBody, uniqueId } from '../support/seed-bodies';
import { Acknowledged, ChainVerifier, LONG_RUN, jsonHeaders, openAppLog, send, TORTURE_ENV } from './torture-support';

/**
 * Many clients race for the same revisions of many plants at once, each with `If-Match`. Per plant and
 * revision exactly one write wins (201 at the next revision), every other gets 412; afterwards each stream
 * holds exactly the winners, in order, and nothing else.
 */
const PLANTS = LONG_RUN ? 24 : 8;
const CLIENTS_PER_PLANT = LONG_RUN ? 16 : 8;
const ROUNDS = LONG_RUN ? 40 : 6;

let app: TestApp;
const headers = (extra: Record<string, string> = {}) => jsonHeaders(TEST_KEYS.integrator, extra);

beforeAll(async () => {
  app = await startTestApp(TORTURE_ENV);
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

const post = (path: string, body: object, extra: Record<string, string> = {}) =>
  send(`${app.url}${path}`, { method: 'POST', headers: headers(extra), body: JSON.stringify(body), timeoutMs: 30_000 });

it(
  `exactly one winner per revision across ${PLANTS} plants × ${CLIENTS_PER_PLANT} clients × ${ROUNDS} rounds`,
  async () => {
    const companyId = uniqueId('contended-co');
    expect((await post('/v1/companies', companyBody(companyId))).status).toBe(201);
    const plants = Array.from({ length: PLANTS }, () => uniqueId('contended-plant'));
    for (const plantId of plants) expect((await post('/v1/plants/capacity-announcements', announcementBody(plantId, companyId))).status).toBe(201);

    const winners = new Map<string, Acknowledged[]>(plants.map((plantId) => [plantId, []]));
    const unexpected: { plantId: string; round: number; status: number; body: unknown }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      await Promise.all(
        plants.map(async (plantId) => {
          // One more client than the rest sends a revision already taken: it must lose too.
          const attempts = Array.from({ length: CLIENTS_PER_PLANT }, (_, client) => {
            const ifMatch = client === 0 && round > 0 ? round - 1 : round;
            const path = client % 2 === 0 ? `/v1/plants/${plantId}/commissionings` : `/v1/plants/${plantId}/capacity-revisions`;
            const body = client % 2 === 0 ? commissioningBody(1 + client / 10) : capacityRevisionBody();
            return post(path, body, { 'If-Match': `"${ifMatch}"` });
          });
          const answers = await Promise.all(attempts);
          const won = answers.filter((answer) => answer.status === 201);
          for (const answer of answers) {
            if (answer.status !== 201 && answer.status !== 412) unexpected.push({ plantId, round, status: answer.status, body: answer.body });
            if (answer.status === 412) expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          }
          if (won.length !== 1) unexpected.push({ plantId, round, status: -won.length, body: 'winners' });
          for (const answer of won) winners.get(plantId)?.push(answer.body as Acknowledged);
        }),
      );
    }
    expect(unexpected).toEqual([]);

    const appLog = openAppLog(app);
    const log = await appLog.events().finally(() => appLog.close());
    expect(new ChainVerifier(appLog.gapFree).verify(log)).toEqual([]);
    for (const plantId of plants) {
      const stream = log.filter((event) => event.streamId === `plant-${plantId}`);
      const won = winners.get(plantId) ?? [];
      expect(won.map((ack) => ack.revision)).toEqual(Array.from({ length: ROUNDS }, (_, i) => i + 1));
      expect(stream.map((event) => event.eventId)).toEqual([stream[0].eventId, ...won.map((ack) => ack.eventId)]);
    }
  },
  LONG_RUN ? 20 * 60_000 : 90_000,
);
