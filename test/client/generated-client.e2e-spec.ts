import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { startTestApp, TEST_KEYS, TestApp } from '../support/test-app';
import { announcementBody, commissioningBody, companyBody, tariffMeasureBody, uniqueId } from '../support/seed-bodies';

/**
 * A client generated from /docs-json by swagger-typescript-api posts facts and reads answers, and every
 * answer it receives is checked against the response schema the document declares for that status: when
 * the document and the server disagree, this fails.
 */

interface ClientResponse<T> {
  status: number;
  data: T;
}
interface WriteResult {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
}
type Call<A extends unknown[], T = unknown> = (...args: [...A, { headers?: Record<string, string> }?]) => Promise<ClientResponse<T>>;

/** The part of the generated client this test drives; names and shapes come from the document's operationIds. */
interface GeneratedApi {
  v1: {
    companiesControllerRegister: Call<[body: object], WriteResult>;
    plantsControllerAnnounce: Call<[body: object], WriteResult>;
    plantsControllerCommission: Call<[plantId: string, body: object], WriteResult>;
    tariffMeasuresControllerImpose: Call<[body: object], WriteResult>;
    companyCapacityControllerOne: Call<[companyId: string, query: object], { companyId: string; position: number; operationalGwh?: number; [key: string]: unknown }>;
    effectiveTariffControllerGet: Call<[query: object], { totalRatePercent?: number; position: number; [key: string]: unknown }>;
  };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
  components?: { schemas?: Record<string, object> };
}

interface Seen {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: unknown;
}

let app: TestApp;
let outDir: string;
let document: OpenApiDocument;
const seen: Seen[] = [];

const compile = (entry: string): void => {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    skipLibCheck: true,
    outDir: path.dirname(entry),
  };
  const program = ts.createProgram([entry], options);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
};

/** Records every answer the generated client receives, for the schema check. */
const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const response = await fetch(input, init);
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.clone().text();
  seen.push({ method: (init?.method ?? 'GET').toLowerCase(), url: String(input), status: response.status, contentType, body: /json/.test(contentType) && text !== '' ? JSON.parse(text) : text });
  return response;
};

beforeAll(async () => {
  app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  const response = await fetch(`${app.url}/docs-json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as OpenApiDocument;

  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-client-'));
  const specFile = path.join(outDir, 'openapi.json');
  fs.writeFileSync(specFile, JSON.stringify(document));
  execFileSync(process.execPath, [path.join(__dirname, 'generate-client.mjs'), specFile, outDir], { stdio: 'pipe' });
  compile(path.join(outDir, 'Api.ts'));
}, 120_000);

afterAll(async () => {
  await app?.destroy();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

const client = (key: string): GeneratedApi => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Api } = require(path.join(outDir, 'Api.js')) as { Api: new (config: object) => GeneratedApi };
  return new Api({ baseUrl: app.url, customFetch: recordingFetch, baseApiParams: { headers: { Authorization: `Bearer ${key}` } } });
};

/** The operation a URL was answered by: the document's path template whose segments match. */
const operationFor = (method: string, url: string) => {
  const pathname = new URL(url).pathname;
  const template = Object.keys(document.paths).find((candidate) => {
    const pattern = new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(pathname) && document.paths[candidate][method] !== undefined;
  });
  if (!template) throw new Error(`the document has no ${method.toUpperCase()} ${pathname}`);
  return { template, operation: document.paths[template][method] };
};

/**
 * Undocumented fields fail too: every object schema that lists its properties is closed, so a field the
 * server adds without documenting it is a mismatch, as is a documented one of another type.
 */
const closed = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'example' || key === 'examples' ? value : closed(value)]));
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  // OpenAPI 3.0's `nullable` is not JSON Schema: with a type it widens the type by null, alone it allows anything.
  if (copy.nullable === true) {
    delete copy.nullable;
    if (typeof copy.type === 'string') copy.type = [copy.type, 'null'];
  }
  return copy;
};

const validatorFor = (() => {
  const cache = new Map<string, ValidateFunction>();
  let ajv: Ajv | undefined;
  return (pointer: string): ValidateFunction => {
    if (!ajv) {
      ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema(closed(document) as object, 'openapi.json', undefined, false);
    }
    const known = cache.get(pointer);
    if (known) return known;
    const validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
    cache.set(pointer, validate);
    return validate;
  };
})();

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

const expectMatchesDocument = (answer: Seen): void => {
  const { template, operation } = operationFor(answer.method, answer.url);
  const status = String(answer.status);
  const declared = operation.responses[status];
  if (!declared) throw new Error(`${answer.method.toUpperCase()} ${template} answered ${status}, which the document does not declare`);
  const mediaType = answer.contentType.split(';')[0].trim();
  const content = declared.content?.[mediaType];
  if (!content?.schema) throw new Error(`${answer.method.toUpperCase()} ${template} ${status} answered ${mediaType}, which the document does not declare`);
  const validate = validatorFor(`/paths/${escape(template)}/${answer.method}/responses/${status}/content/${escape(mediaType)}/schema`);
  if (!validate(answer.body)) {
    throw new Error(`${answer.method.toUpperCase()} ${template} ${status} does not match the document: ${JSON.stringify(validate.errors, null, 2)}\n${JSON.stringify(answer.body)}`);
  }
};

describe('a TypeScript client generated from /docs-json', () => {
  it('compiles under strict TypeScript (checked in beforeAll) and records and reads facts', async () => {
    const integrator = client(TEST_KEYS.integrator);
    const analyst = client(TEST_KEYS.analyst);
    const companyId = uniqueId('client-co');
    const plantId = uniqueId('client-plant');
    const measureId = uniqueId('client-duty');

    const company = await integrator.v1.companiesControllerRegister(companyBody(companyId));
    expect(company.status).toBe(201);
    expect(company.data.streamId).toBe(`company-${companyId}`);
    expect((await integrator.v1.plantsControllerAnnounce(announcementBody(plantId, companyId))).status).toBe(201);
    const commissioned = await integrator.v1.plantsControllerCommission(plantId, commissioningBody(2, '2025-12-31'));
    expect(commissioned.status).toBe(201);
    const duty = await integrator.v1.tariffMeasuresControllerImpose(tariffMeasureBody(measureId));
    expect(duty.status).toBe(201);

    const capacity = await analyst.v1.companyCapacityControllerOne(companyId, { asOf: '2026-01-15', minPosition: duty.data.position });
    expect(capacity.status).toBe(200);
    expect(capacity.data.companyId).toBe(companyId);
    expect(capacity.data.position).toBeGreaterThanOrEqual(commissioned.data.position);
    expect(JSON.stringify(capacity.data)).toContain(plantId);

    const tariff = await analyst.v1.effectiveTariffControllerGet({ importer: 'EU', origin: 'CN', product: 'bev', asOf: '2025-01-15', minPosition: duty.data.position });
    expect(tariff.status).toBe(200);
    expect(JSON.stringify(tariff.data)).toContain(measureId);
  });

  it('sees problem details as the document describes them', async () => {
    const integrator = client(TEST_KEYS.integrator);
    const analyst = client(TEST_KEYS.analyst);
    await expect(integrator.v1.companiesControllerRegister({ companyId: 'Not A Slug' })).rejects.toMatchObject({ status: 400 });
    await expect(analyst.v1.companiesControllerRegister(companyBody(uniqueId('client-co')))).rejects.toMatchObject({ status: 403 });
    await expect(client('not-a-configured-key-0123456789').v1.companyCapacityControllerOne('no-such-company', {})).rejects.toMatchObject({ status: 401 });
    await expect(analyst.v1.companyCapacityControllerOne('no-such-company', {})).rejects.toMatchObject({ status: 404 });
    await expect(integrator.v1.plantsControllerCommission('no-such-plant', commissioningBody())).rejects.toMatchObject({ status: 404 });
  });

  it('received only answers that match the document', () => {
    expect(seen.length).toBeGreaterThanOrEqual(11);
    for (const answer of seen) expectMatchesDocument(answer);
  });
});
