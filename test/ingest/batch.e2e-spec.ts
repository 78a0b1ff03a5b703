import { startTestApp, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody, constructionStartBody, uniqueId } from '../support/seed-bodies';
import { expectNothingWritten, expectProblem, expectWritten } from '../support/write-helpers';

/** POST /v1/batch: one result per item, in order, each with the status it would get alone. */
let app: TestApp;

interface ItemResult {
  index: number;
  status: number;
  eventId?: string;
  streamId?: string;
  revision?: number;
  position?: number;
  error?: { status: number; type: string; title: string; detail: string; errors?: { field: string; message: string }[] };
}

const batch = (items: unknown[], headers: Record<string, string> = {}) => app.http().post('/v1/batch').set(app.auth('integrator')).set(headers).send({ items });

const resultsOf = (response: { status: number; body: unknown }): ItemResult[] => {
  if (response.status !== 200 && response.status !== 201) throw new Error(`batch answered ${response.status}: ${JSON.stringify(response.body)}`);
  return (response.body as { results: ItemResult[] }).results;
};

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

describe('POST /v1/batch (JSON)', () => {
  it('mixed results, in order; an item may depend on an earlier one', async () => {
    const companyId = uniqueId('luochu-technology');
    const plantId = uniqueId('luochu-line');
    const items = [
      { kind: 'company', ...companyBody(companyId) },
      { kind: 'capacity-announcement', ...announcementBody(plantId, companyId) },
      { kind: 'commissioning', plantId, commissionedOn: 'late December', source: { publisher: 'SMM' }, unknownField: 1 },
      { kind: 'commissioning', plantId: 'no-such-plant', ...commissioningBody() },
      { kind: 'capacity-announcement', ...announcementBody(plantId, companyId) },
      { kind: 'capacity-announcement', ...announcementBody(uniqueId('orphan'), 'no-such-company') },
      { kind: 'construction-start', plantId, ...constructionStartBody() },
      { kind: 'no-such-kind' },
    ];
    const results = resultsOf(await batch(items));
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((result) => result.status)).toEqual([201, 201, 400, 404, 409, 422, 201, 400]);

    expect(results[0]).toMatchObject({ streamId: `company-${companyId}`, revision: 0 });
    expect(results[1]).toMatchObject({ streamId: `plant-${plantId}`, revision: 0 });
    expect(results[6]).toMatchObject({ streamId: `plant-${plantId}`, revision: 1 });
    for (const index of [0, 1, 6]) {
      expect(results[index].eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isInteger(results[index].position)).toBe(true);
    }
    expect(results[6].position!).toBeGreaterThan(results[1].position!);

    const fields = (results[2].error?.errors ?? []).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['commissionedOn', 'capacityGwh', 'unknownField']));
    expect(results[7].error?.errors?.map((error) => error.field)).toContain('kind');
    for (const index of [2, 3, 4, 5, 7]) {
      expect(results[index].error?.status).toBe(results[index].status);
      expect(results[index].eventId).toBeUndefined();
    }
    // the refused items wrote nothing: the plant stream is at revision 1
    expect(expectWritten(await app.http().post(`/v1/plants/${plantId}/commissionings`).set(app.auth('integrator')).send(commissioningBody())).revision).toBe(2);
  });

  it('each failing item gets the same status and problem type as the same request alone', async () => {
    const alone = await app.http().post('/v1/plants/no-such-plant/commissionings').set(app.auth('integrator')).send(commissioningBody());
    const problem = expectProblem(alone, 404);
    const [result] = resultsOf(await batch([{ kind: 'commissioning', plantId: 'no-such-plant', ...commissioningBody() }]));
    expect(result.status).toBe(404);
    expect(result.error?.type).toBe(problem.type);
  });

  it('more than 10 000 items is 413 and nothing is written', async () => {
    const items = Array.from({ length: 10_001 }, (_, index) => ({ kind: 'company', ...companyBody(`bulk-${index}-${uniqueId('c')}`) }));
    await expectNothingWritten(app, async () => expectProblem(await batch(items), 413));
  }, 30_000);

  it('replays with the same Idempotency-Key and body without new events; another body is 422', async () => {
    const key = uniqueId('batch-key');
    const companyId = uniqueId('taland-new-energy');
    const items = [{ kind: 'company', ...companyBody(companyId) }, { kind: 'capacity-announcement', ...announcementBody(uniqueId('taland-line'), companyId) }];
    const first = await batch(items, { 'Idempotency-Key': key });
    expect(resultsOf(first).map((result) => result.status)).toEqual([201, 201]);

    await expectNothingWritten(app, async () => {
      const again = await batch(items, { 'Idempotency-Key': key });
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      expectProblem(await batch([items[0]], { 'Idempotency-Key': key }), 422);
    });
  });
});

describe('POST /v1/batch: items written together keep the one-at-a-time outcome', () => {
  interface AuditedEvent {
    eventId: string;
    revision: number;
    position: number;
    metadata: { recordedAt: string; prevHash: string; hash: string };
  }
  const streamEvents = async (streamId: string): Promise<AuditedEvent[]> => {
    const response = await app.http().get(`/v1/audit/streams/${streamId}/events`).set(app.auth('auditor'));
    expect(response.status).toBe(200);
    return (response.body as { events: AuditedEvent[] }).events;
  };

  it('several facts on one plant in one batch: each sees the one before, chained, recordedAt never going back', async () => {
    const companyId = uniqueId('same-stream-co');
    const plantId = uniqueId('same-stream-line');
    const results = resultsOf(
      await batch([
        { kind: 'company', ...companyBody(companyId) },
        { kind: 'capacity-announcement', ...announcementBody(plantId, companyId) },
        { kind: 'construction-start', plantId, ...constructionStartBody() },
        { kind: 'construction-start', plantId, ...constructionStartBody() },
        { kind: 'commissioning', plantId, ...commissioningBody() },
      ]),
    );
    expect(results.map((result) => result.status)).toEqual([201, 201, 201, 409, 201]);
    expect(results.map((result) => result.revision)).toEqual([0, 0, 1, undefined, 2]);

    const events = await streamEvents(`plant-${plantId}`);
    expect(events.map((event) => event.eventId)).toEqual([results[1].eventId, results[2].eventId, results[4].eventId]);
    expect(events.map((event) => event.position)).toEqual([results[1].position, results[2].position, results[4].position]);
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
    expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
    const recordedAt = events.map((event) => Date.parse(event.metadata.recordedAt));
    expect([...recordedAt].sort((a, b) => a - b)).toEqual(recordedAt);
  });

  it('an item is judged by its fields alone: one that looks like an unparsable NDJSON line is validated like any other', async () => {
    const [lookalike] = resultsOf(await batch([{ __unparsable: 'line 1: not JSON' }]));
    expect(lookalike.status).toBe(400);
    expect(lookalike.error).toMatchObject({ type: '/problems/validation-failed' });
    expect(lookalike.error?.errors?.map((error) => error.field)).toContain('kind');
  });

  it('a batch large enough for the validation workers answers every item as a one-item batch does', async () => {
    const templates: ((i: number) => unknown)[] = [
      (i) => ({ kind: 'company', ...companyBody(uniqueId(`large-co-${i}`)) }),
      (i) => ({ kind: 'company', ...companyBody(uniqueId(`large-bad-${i}`)), headquartersCountry: 'China', ticker: '300750' }),
      () => ({ kind: 'commissioning', plantId: 'Not A Slug', ...commissioningBody(), commissionedOn: '2025-13-01' }),
      () => ['not', 'an', 'object'],
      () => ({ kind: 'merger', source: companyBody('x').source }),
      (i) => ({ kind: 'technology-route', routeId: uniqueId(`large-route-${i}`), name: 'All-solid-state sodium-ion', family: 'sodium', source: companyBody('x').source }),
      () => ({ kind: 'commissioning', plantId: 'no-such-plant', ...commissioningBody() }),
    ];
    const items = Array.from({ length: 210 }, (_, i) => templates[i % templates.length](i));
    const large = resultsOf(await batch(items));
    const alone = await Promise.all(templates.map(async (template, t) => resultsOf(await batch([template(1000 + t)]))[0]));
    const answer = ({ status, error }: ItemResult) => ({ status, error: error && { ...error, instance: undefined } });
    expect(large.map((result) => result.index)).toEqual(items.map((_, i) => i));
    large.forEach((result, i) => expect(answer(result)).toEqual(answer(alone[i % templates.length])));
    expect(alone.map((result) => result.status)).toEqual([201, 400, 400, 400, 400, 403, 404]);
  }, 60_000);

  it('600 companies then 600 plants naming them (several waves): every reference resolves, and the chains verify', async () => {
    const companies = Array.from({ length: 600 }, (_, i) => uniqueId(`wave-co-${i}`));
    const items = [
      ...companies.map((companyId) => ({ kind: 'company', ...companyBody(companyId) })),
      ...companies.map((companyId) => ({ kind: 'capacity-announcement', ...announcementBody(uniqueId('wave-line'), companyId) })),
      { kind: 'capacity-announcement', ...announcementBody(uniqueId('wave-orphan'), uniqueId('never-registered')) },
    ];
    const results = resultsOf(await batch(items));
    expect(results.slice(0, 1200).every((result) => result.status === 201)).toBe(true);
    expect(results[1200].status).toBe(422);
    expect(new Set(results.slice(0, 1200).map((result) => result.position)).size).toBe(1200);

    const integrity = await app.http().get('/v1/audit/integrity').set(app.auth('auditor'));
    expect(integrity.status).toBe(200);
    expect(integrity.body).toMatchObject({ ok: true, failures: [] });
  }, 60_000);

  it('a batch and single writes racing on the same plants: exactly one construction start per plant wins', async () => {
    const companyId = uniqueId('race-co');
    const plants = Array.from({ length: 40 }, () => uniqueId('race-line'));
    resultsOf(await batch([{ kind: 'company', ...companyBody(companyId) }, ...plants.map((plantId) => ({ kind: 'capacity-announcement', ...announcementBody(plantId, companyId) }))]));

    const [batched, ...alone] = await Promise.all([
      batch(plants.map((plantId) => ({ kind: 'construction-start', plantId, ...constructionStartBody() }))),
      ...plants.map((plantId) => app.http().post(`/v1/plants/${plantId}/construction-starts`).set(app.auth('integrator')).send(constructionStartBody())),
    ]);

    const batchStatuses = resultsOf(batched).map((result) => result.status);
    plants.forEach((plantId, i) => {
      expect([batchStatuses[i], alone[i].status].sort()).toEqual([201, 409]);
    });
    for (const plantId of plants) expect(await streamEvents(`plant-${plantId}`)).toHaveLength(2);
  }, 60_000);
});

describe('POST /v1/batch (NDJSON)', () => {
  it('one item per line; an unparsable line is a 400 for that item only', async () => {
    const companyId = uniqueId('xinjie-energy');
    const plantId = uniqueId('xinjie-line');
    const lines = [
      JSON.stringify({ kind: 'company', ...companyBody(companyId) }),
      JSON.stringify({ kind: 'capacity-announcement', ...announcementBody(plantId, companyId) }),
      '{"kind": "commissioning", "plantId": ',
      '',
      JSON.stringify({ kind: 'commissioning', plantId, ...commissioningBody() }),
    ];
    const response = await app.http().post('/v1/batch').set(app.auth('integrator')).set('Content-Type', 'application/x-ndjson').send(`${lines.join('\n')}\n`);
    const results = resultsOf(response);
    expect(results.map((result) => result.status)).toEqual([201, 201, 400, 201]);
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3]);
    expect(results[3]).toMatchObject({ streamId: `plant-${plantId}`, revision: 1 });
  });

  it('refuses a line that would poison a prototype, as a JSON body is refused, and stores nothing of it', async () => {
    const poisoned = uniqueId('poisoned');
    const kept = uniqueId('kept');
    // JSON.stringify never writes an own __proto__ key: the hostile lines are written by hand.
    const company = (companyId: string) => JSON.stringify({ kind: 'company', ...companyBody(companyId) }).slice(1, -1);
    const lines = [
      `{${company(poisoned)},"__proto__":{"role":"admin"}}`,
      `{${company(`${poisoned}-ctor`)},"constructor":{"prototype":{"role":"admin"}}}`,
      JSON.stringify({ kind: 'company', ...companyBody(kept) }),
    ];
    const response = await app.http().post('/v1/batch').set(app.auth('integrator')).set('Content-Type', 'application/x-ndjson').send(`${lines.join('\n')}\n`);
    const results = resultsOf(response);
    expect(results.map((result) => result.status)).toEqual([400, 400, 201]);
    expect(results[0].error).toMatchObject({ type: '/problems/malformed-json', detail: expect.stringMatching(/^line 1: .*prototype/) });
    expect(results[1].error).toMatchObject({ type: '/problems/malformed-json', detail: expect.stringMatching(/^line 2: .*prototype/) });
    for (const companyId of [poisoned, `${poisoned}-ctor`]) {
      expect((await app.http().get(`/v1/companies/${companyId}/capacity`).set(app.auth('analyst'))).status).toBe(404);
    }
    const posted = await app.http().post('/v1/companies').set(app.auth('integrator')).set('Content-Type', 'application/json').send(lines[0].replace('"kind":"company",', ''));
    expectProblem(posted, 400);
  });

  it('text/plain is 415', async () => {
    await expectNothingWritten(app, async () => {
      const response = await app.http().post('/v1/batch').set(app.auth('integrator')).set('Content-Type', 'text/plain').send(JSON.stringify({ kind: 'company', ...companyBody(uniqueId('plain')) }));
      expectProblem(response, 415);
    });
  });
});
