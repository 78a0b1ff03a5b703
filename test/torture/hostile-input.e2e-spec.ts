import fc from 'fast-check';
import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import {
  announcementBody,
  capacityRevisionBody,
  commissioningBody,
  companyBody,
  constructionStartBody,
  correctionBody,
  financingRoundBody,
  milestoneBody,
  retractionBody,
  standardBody,
  standardStageBody,
  statusChangeBody,
  tariffMeasureBody,
  tariffRateChangeBody,
  tariffRevocationBody,
  technologyRouteBody,
  uniqueId,
} from '../support/seed-bodies';
import { AppLog, ChainVerifier, LONG_RUN, jsonHeaders, openAppLog, TORTURE_ENV } from './torture-support';

/**
 * fast-check drives every route of the served OpenAPI document with hostile bodies, headers, path
 * parameters and query strings. The contract: never a 5xx (the one documented exception is `504
 * projection-behind` for a `minPosition` beyond the head), the API stays up, a refused request leaves the
 * global head where it was, and the hash chains are intact afterwards.
 */
const RUNS = Number(process.env.TORTURE_FUZZ_RUNS ?? (LONG_RUN ? 5000 : 300));
const SEED = Number(process.env.TORTURE_SEED ?? Date.now() % 2 ** 31);
/** Generous for a loaded 2-core machine (answers take milliseconds): past it, a route is taken not to answer at all. */
const ANSWER_TIMEOUT_MS = 20_000;

interface Operation {
  method: 'GET' | 'POST';
  template: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  hasBody: boolean;
  /** Answers a `text/event-stream` that, by design, never ends while the client stays. */
  streams: boolean;
}

interface Fixture {
  companyId: string;
  plantId: string;
  standardId: string;
  measureId: string;
  routeId: string;
  eventId: string;
}

let app: TestApp;
let operations: Operation[];
let fixture: Fixture;
/** Read beside the API, never through it: a refused request must not have moved its head. */
let log: AppLog;

/** Valid bodies are the starting point of mutations, so that the fuzzer reaches the rules behind the parser. */
const validBodyFor = (template: string): unknown => {
  const id = uniqueId('fuzz');
  const bodies: Record<string, () => unknown> = {
    '/v1/companies': () => companyBody(id),
    '/v1/companies/{companyId}/renames': () => ({ name: 'Renamed', renamedOn: '2026-01-01', source: { publisher: 'x' } }),
    '/v1/plants/capacity-announcements': () => announcementBody(id, fixture.companyId),
    '/v1/plants/{plantId}/construction-starts': () => constructionStartBody(),
    '/v1/plants/{plantId}/commissionings': () => commissioningBody(),
    '/v1/plants/{plantId}/capacity-revisions': () => capacityRevisionBody(),
    '/v1/plants/{plantId}/suspensions': () => statusChangeBody(),
    '/v1/plants/{plantId}/resumptions': () => statusChangeBody(),
    '/v1/plants/{plantId}/cancellations': () => statusChangeBody(),
    '/v1/financing-rounds': () => financingRoundBody(id, fixture.companyId),
    '/v1/standards': () => standardBody(id),
    '/v1/standards/{standardId}/stages': () => standardStageBody(),
    '/v1/tariff-measures': () => tariffMeasureBody(id),
    '/v1/tariff-measures/{measureId}/rate-changes': () => tariffRateChangeBody(),
    '/v1/tariff-measures/{measureId}/revocations': () => tariffRevocationBody(),
    '/v1/technology-milestones': () => milestoneBody(id, fixture.companyId),
    '/v1/technology-routes': () => technologyRouteBody(id),
    '/v1/corrections': () => correctionBody(fixture.eventId),
    '/v1/retractions': () => retractionBody(fixture.eventId),
    // Enough items for the validation workers (64 or more), so hostile items also cross to a worker thread.
    '/v1/batch': () => ({ items: Array.from({ length: 70 }, (_, i) => ({ kind: 'company', ...companyBody(`${id}-${i}`) })) }),
  };
  return (bodies[template] ?? (() => ({})))();
};

const realPathValue = (name: string): string =>
  ({ companyId: fixture.companyId, plantId: fixture.plantId, standardId: fixture.standardId, measureId: fixture.measureId, routeId: fixture.routeId })[name] ?? 'x';

const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202E\u202D',
  '\uFEFF',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '𝕏'.repeat(500),
  'ﬀ'.repeat(50),
  '../../etc/passwd',
  '%00',
  '%',
  '__proto__',
  'constructor',
  'toString',
  '-1',
  '1e309',
  'NaN',
  '9007199254740993',
  '2025-02-30',
  'null',
  '{"$gt":""}',
  "'; DROP TABLE events; --",
  'A'.repeat(70_000),
];

const hostileString = fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }));

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [[[]]], { __proto__: { polluted: true } }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

const nested = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Mutates a valid body at one place: a field replaced, removed or added, anywhere in the tree. */
const mutate = (body: unknown, random: () => number, value: unknown): unknown => {
  if (typeof body !== 'object' || body === null) return value;
  const copy: Record<string, unknown> = Array.isArray(body) ? ({ ...body } as Record<string, unknown>) : { ...(body as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const action = random();
  if (keys.length === 0 || action < 0.15) copy[random() < 0.5 ? '__proto__' : `extra${Math.floor(random() * 9)}`] = value;
  else {
    const key = keys[Math.floor(random() * keys.length)];
    if (action < 0.3) delete copy[key];
    else if (action < 0.6 && typeof copy[key] === 'object' && copy[key] !== null) copy[key] = mutate(copy[key], random, value);
    else copy[key] = value;
  }
  return Array.isArray(body) ? Object.values(copy) : copy;
};

type BodyPlan =
  | { kind: 'mutated'; value: unknown; seed: number }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'truncated'; at: number }
  | { kind: 'nested'; depth: number; shape: 'array' | 'object' }
  | { kind: 'oversized'; megabytes: number }
  | { kind: 'none' };

const bodyPlan: fc.Arbitrary<BodyPlan> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('mutated' as const), value: hostileValue, seed: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('json' as const), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), text: hostileString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nested' as const), depth: fc.integer({ min: 50, max: 20_000 }), shape: fc.constantFrom('array' as const, 'object' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('oversized' as const), megabytes: fc.integer({ min: 2, max: 12 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
);

/** JSON.stringify turns lone surrogates into escapes; the raw text plan sends them as they are. */
const renderBody = (plan: BodyPlan, template: string): string | undefined => {
  switch (plan.kind) {
    case 'mutated': {
      let state = plan.seed >>> 0;
      const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
      return JSON.stringify(mutate(validBodyFor(template), random, plan.value)) ?? 'undefined';
    }
    case 'json':
      return JSON.stringify(plan.value) ?? 'undefined';
    case 'text':
      return plan.text;
    case 'truncated': {
      const text = JSON.stringify(validBodyFor(template));
      return text.slice(0, plan.at % Math.max(text.length, 1));
    }
    case 'nested':
      return nested(plan.depth, plan.shape);
    case 'oversized':
      return JSON.stringify({ ...(validBodyFor(template) as object), name: 'x'.repeat(plan.megabytes * 1024 * 1024) });
    case 'none':
      return undefined;
  }
};

/** fetch only sends header values that are byte strings without controls; anything else is not hostile, just unsendable. */
const headerSafe = (value: string): string =>
  Array.from(value)
    .map((char) => {
      const code = (char.codePointAt(0) ?? 0x41) & 0xff;
      return code < 0x20 || code === 0x7f ? 'x' : String.fromCharCode(code);
    })
    .join('')
    .trim()
    .slice(0, 4000);

const headerPlan = fc.record({
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/x-ndjson',
    'text/plain',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '',
    'application/json, text/plain',
  ),
  ifMatch: fc.option(fc.oneof(hostileString, fc.constantFrom('"0"', '"-1"', 'W/"0"', '*', '"99999999999999999999"', '0')), { nil: undefined }),
  idempotencyKey: fc.option(hostileString, { nil: undefined }),
  correlationId: fc.option(hostileString, { nil: undefined }),
  authorization: fc.option(fc.oneof(hostileString, fc.constantFrom('Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${TEST_KEYS.integrator}x`)), { nil: undefined }),
  extra: fc.option(fc.tuple(fc.constantFrom('X-Forwarded-For', 'Content-Encoding', 'Accept', 'Transfer-Encoding-Hint', 'Range', 'Last-Event-ID'), hostileString), { nil: undefined }),
});

const queryPlan = fc.array(fc.tuple(fc.oneof(fc.constantFrom('asOf', 'knownAt', 'minPosition', 'from', 'to', 'interval', 'kind', 'importer', 'origin', 'product', 'companyId'), hostileString), hostileValue), { maxLength: 6 });

const encode = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

const PROJECTION_BEHIND_ALLOWED = '/problems/projection-behind';

interface HostileRequest {
  operation: Operation;
  url: string;
  search: string;
  headers: Record<string, string>;
  body?: string;
}

/** How a request ended, when it broke no rule: `stream` is a streaming route that started to stream and was left. */
type Outcome = 'answered' | 'stream' | 'dropped';

/** A stream's first chunk shows it started; then the client leaves, which is how streams end. */
const firstChunkThenLeave = async (response: Response): Promise<string> => {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
};

/** Every line of a server-sent events stream is a comment or a field. */
const SSE_START = /^(:|id:|event:|data:|retry:)/;

/**
 * Sends one request and checks the contract on its answer; throws, with the request, on a breach. A route
 * that does not answer (headers, or the end of a body that should end) within ANSWER_TIMEOUT_MS breaches it.
 */
const exercise = async ({ operation, url, search, headers, body }: HostileRequest, notProblemDetails: Map<string, string>): Promise<Outcome> => {
  const request = { method: operation.method, url: url.slice(0, 300), search: search.slice(0, 300), headers, body: body?.slice(0, 300) };
  const signal = AbortSignal.timeout(ANSWER_TIMEOUT_MS);
  const before = await log.headPosition();
  let response: Response;
  try {
    response = await fetch(`${app.url}${url}${search ? `?${search}` : ''}`, { method: operation.method, headers, body, signal });
  } catch (error) {
    if (signal.aborted) throw new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms: ${JSON.stringify(request)}`, { cause: error });
    // Node's HTTP parser resets a connection whose request head exceeds its limit: a refusal, provided the API lives on.
    const alive = (await fetch(`${app.url}/health/live`)).status === 200;
    if (!alive || (await log.headPosition()) !== before) throw new Error(`a dropped request killed the API or wrote: ${url.slice(0, 200)}`, { cause: error });
    return 'dropped';
  }
  const streaming = operation.streams && response.ok;
  let text: string;
  try {
    text = streaming ? await firstChunkThenLeave(response) : await response.text();
  } catch (error) {
    const what = streaming ? 'a stream sent nothing' : 'the body did not end';
    throw new Error(`${what} within ${ANSWER_TIMEOUT_MS} ms (status ${response.status}): ${JSON.stringify(request)}`, { cause: error });
  }
  const after = await log.headPosition();
  const contentType = response.headers.get('content-type') ?? '';
  const summary = { status: response.status, contentType, ...request, answer: text.slice(0, 400) };

  const documented504 = response.status === 504 && text.includes(PROJECTION_BEHIND_ALLOWED);
  if (response.status >= 500 && !documented504) throw new Error(`5xx: ${JSON.stringify(summary)}`);
  if ((response.status < 200 || response.status >= 300) && after !== before) throw new Error(`refused request moved the head from ${before} to ${after}: ${JSON.stringify(summary)}`);
  if (streaming) {
    if (!contentType.startsWith('text/event-stream') || !SSE_START.test(text)) throw new Error(`a stream that is not server-sent events: ${JSON.stringify(summary)}`);
    return 'stream';
  }
  // 431 comes from Node's HTTP parser before any route runs: outside the problem-details contract.
  if (response.status >= 400 && response.status !== 431 && !contentType.startsWith('application/problem+json')) {
    const key = `${response.status} ${operation.method} ${operation.template}`;
    if (!notProblemDetails.has(key)) notProblemDetails.set(key, `${contentType}: ${text.slice(0, 160)}`);
  }
  return 'answered';
};

beforeAll(async () => {
  app = await startTestApp({ ...TORTURE_ENV, READ_YOUR_WRITES_TIMEOUT_MS: '50' });
  const doc = (await (await fetch(`${app.url}/docs-json`)).json()) as {
    paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: unknown; responses?: Record<string, { content?: Record<string, unknown> }> }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([template, methods]) =>
    Object.entries(methods)
      .filter(([method]) => method === 'get' || method === 'post')
      .map(([method, op]) => ({
        method: method.toUpperCase() as 'GET' | 'POST',
        template,
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        headerParams: (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name),
        hasBody: op.requestBody !== undefined,
        streams: Object.values(op.responses ?? {}).some((answer) => answer.content?.['text/event-stream'] !== undefined),
      })),
  );

  const post = async (url: string, body: unknown): Promise<{ eventId: string }> => {
    const response = await fetch(`${app.url}${url}`, { method: 'POST', headers: jsonHeaders(TEST_KEYS.admin), body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`fixture ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { eventId: string };
  };
  const companyId = uniqueId('fuzz-co');
  const company = await post('/v1/companies', companyBody(companyId));
  const plantId = uniqueId('fuzz-plant');
  await post('/v1/plants/capacity-announcements', announcementBody(plantId, companyId));
  const standardId = uniqueId('fuzz-std');
  await post('/v1/standards', standardBody(standardId));
  const measureId = uniqueId('fuzz-tariff');
  await post('/v1/tariff-measures', tariffMeasureBody(measureId));
  const routeId = uniqueId('fuzz-route');
  await post('/v1/technology-routes', technologyRouteBody(routeId));
  fixture = { companyId, plantId, standardId, measureId, routeId, eventId: company.eventId };
  log = openAppLog(app);
}, 60_000);

afterAll(async () => {
  await log?.close();
  await app?.destroy();
});

it('a streaming route is checked on its status, headers and first chunk, then left', async () => {
  const streaming = operations.filter((operation) => operation.streams);
  expect(streaming.map((operation) => `${operation.method} ${operation.template}`)).toEqual(['GET /v1/audit/live']);
  const headers = { Authorization: `Bearer ${TEST_KEYS.auditor}` };
  // Without the early leave, the client would wait for the end of an endless stream until ANSWER_TIMEOUT_MS and throw.
  await expect(exercise({ operation: streaming[0], url: streaming[0].template, search: '', headers }, new Map())).resolves.toBe('stream');
  await expect(exercise({ operation: streaming[0], url: streaming[0].template, search: 'lastEventId=-1', headers }, new Map())).resolves.toBe('answered');
}, ANSWER_TIMEOUT_MS + 10_000);

it(`every route from /docs-json survives ${RUNS} hostile requests (seed ${SEED})`, async () => {
  expect(operations.length).toBeGreaterThan(20);
  const routesHit = new Set<string>();
  // Collected rather than thrown, so that one format slip does not hide a 5xx or a stray write later in the run.
  const notProblemDetails = new Map<string, string>();
  const outcomes: Record<Outcome, number> = { answered: 0, stream: 0, dropped: 0 };
  // Routes are taken in turn rather than drawn, so every route gets its share of the runs.
  let run = 0;
  const outcome = await fc.check(
    fc.asyncProperty(
      fc.array(fc.oneof(hostileString, fc.constant('real')), { minLength: 2, maxLength: 2 }),
      queryPlan,
      headerPlan,
      bodyPlan,
      fc.boolean(),
      async (pathValues, query, headerValues, plan, firstRole) => {
        const operation = operations[run++ % operations.length];
        routesHit.add(`${operation.method} ${operation.template}`);
        let url = operation.template;
        operation.pathParams.forEach((name, i) => {
          const value = pathValues[i % pathValues.length];
          url = url.replace(`{${name}}`, value === 'real' ? realPathValue(name) : encode(value));
        });
        const search = query.map(([name, value]) => `${encode(name)}=${encode(typeof value === 'string' ? value : JSON.stringify(value) ?? '')}`).join('&');
        const headers: Record<string, string> = {
          Authorization:
            headerValues.authorization !== undefined
              ? headerSafe(headerValues.authorization)
              : `Bearer ${TEST_KEYS[operation.method === 'GET' ? (firstRole ? 'analyst' : 'auditor') : firstRole ? 'integrator' : 'admin']}`,
        };
        if (headerValues.contentType) headers['Content-Type'] = headerValues.contentType;
        if (headerValues.ifMatch !== undefined) headers['If-Match'] = headerSafe(headerValues.ifMatch);
        if (headerValues.idempotencyKey !== undefined) headers['Idempotency-Key'] = headerSafe(headerValues.idempotencyKey);
        if (headerValues.correlationId !== undefined) headers['X-Correlation-Id'] = headerSafe(headerValues.correlationId);
        if (headerValues.extra) headers[headerValues.extra[0]] = headerSafe(headerValues.extra[1]);
        const body = operation.method === 'POST' ? renderBody(plan, operation.template) : undefined;

        outcomes[await exercise({ operation, url, search, headers, body }, notProblemDetails)] += 1;
      },
    ),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  // fast-check's own report prints the whole counterexample (megabytes for oversized bodies): keep the cause.
  if (outcome.failed) throw new Error(`failed at run ${outcome.numRuns} (seed ${SEED}, path ${outcome.counterexamplePath ?? ''}): ${String(outcome.errorInstance ?? '').slice(0, 3000)}`);
  expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
  expect(new ChainVerifier(log.gapFree).verify(await log.events())).toEqual([]);
  if (RUNS >= 300) expect(routesHit.size).toBe(operations.length);
  expect(Object.fromEntries(notProblemDetails)).toEqual({});
  console.log(`hostile input: ${RUNS} runs (seed ${SEED}), outcomes ${JSON.stringify(outcomes)}`);
}, LONG_RUN ? 60 * 60_000 : 240_000);
