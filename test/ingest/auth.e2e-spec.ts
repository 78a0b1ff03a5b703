import { startTestApp, TestApp, Role } from '../support/test-app';

/**
 * Walks every route of the OpenAPI document with no key, an unknown key and each role. "Allowed" means
 * neither 401 nor 403: the request may still fail validation or find nothing.
 */
let app: TestApp;
let routes: Array<{ method: string; path: string; template: string }> = [];

const ROLES: Role[] = ['integrator', 'analyst', 'auditor', 'admin'];
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

type Capability = 'public' | 'write' | 'admin' | 'read' | 'audit';

const capabilityOf = (method: string, template: string): Capability => {
  if (template.startsWith('/health/') || template === '/docs' || template === '/docs-json' || template === '/metrics') return 'public';
  if (template.startsWith('/v1/audit')) return 'audit';
  if (method === 'post' && template === '/v1/technology-routes') return 'admin';
  if (method === 'get') return 'read';
  return 'write';
};

const ALLOWED: Record<Exclude<Capability, 'public'>, Role[]> = {
  write: ['integrator', 'admin'],
  admin: ['admin'],
  read: ['integrator', 'analyst', 'auditor', 'admin'],
  audit: ['auditor', 'admin'],
};

const call = (method: string, path: string, headers: Record<string, string>) => {
  const http = app.http();
  const test = method === 'get' ? http.get(path) : method === 'post' ? http.post(path) : method === 'put' ? http.put(path) : method === 'patch' ? http.patch(path) : http.delete(path);
  // SSE routes would stay open: ask for a short answer and do not wait for a stream to end
  return test.set(headers).timeout({ response: 10_000, deadline: 10_000 }).send(method === 'get' ? undefined : {});
};

const statusOf = async (method: string, path: string, headers: Record<string, string>): Promise<number> => {
  try {
    return (await call(method, path, headers)).status;
  } catch (error) {
    // a streaming endpoint (e.g. /v1/audit/live) that started to answer was allowed; report its status
    const status = (error as { response?: { status: number }; status?: number }).response?.status ?? (error as { status?: number }).status;
    if (status !== undefined) return status;
    if ((error as { timeout?: number }).timeout !== undefined) return 200;
    throw error;
  }
};

beforeAll(async () => {
  app = await startTestApp();
  const document = (await app.http().get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.keys(operations)
      .filter((method) => HTTP_METHODS.includes(method))
      .map((method) => ({ method, template, path: template.replace(/\{[^}]+\}/g, 'xinjie-energy') })),
  );
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

describe('every route of /docs-json', () => {
  it('the document lists the write routes (so the walk below covers them)', () => {
    const templates = routes.map((route) => `${route.method.toUpperCase()} ${route.template}`);
    expect(templates).toEqual(expect.arrayContaining(['POST /v1/companies', 'POST /v1/batch', 'POST /v1/technology-routes', 'GET /health/live']));
  });

  it('no key: 401 everywhere except /health/*', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const status = await statusOf(route.method, route.path, {});
      const publicRoute = capabilityOf(route.method, route.template) === 'public';
      if (publicRoute ? status === 401 || status === 403 : status !== 401) wrong.push(`${route.method.toUpperCase()} ${route.template} → ${status}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('an unknown key: 401 on every non-public route', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      if (capabilityOf(route.method, route.template) === 'public') continue;
      const status = await statusOf(route.method, route.path, { Authorization: 'Bearer not-a-key-of-this-server-0000' });
      if (status !== 401) wrong.push(`${route.method.toUpperCase()} ${route.template} → ${status}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('a malformed Authorization header: 401', async () => {
    expect((await app.http().post('/v1/companies').set('Authorization', 'Basic dXNlcjpwYXNz').send({})).status).toBe(401);
  });

  it.each(ROLES)('role %s: allowed exactly where the contract says, 403 elsewhere', async (role) => {
    const wrong: string[] = [];
    for (const route of routes) {
      const capability = capabilityOf(route.method, route.template);
      const status = await statusOf(route.method, route.path, app.auth(role));
      const allowed = capability === 'public' || ALLOWED[capability].includes(role);
      if (allowed ? status === 401 || status === 403 : status !== 403) wrong.push(`${route.method.toUpperCase()} ${route.template} (${capability}) → ${status}`);
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('a 401 is a problem document', async () => {
    const response = await app.http().post('/v1/companies').send({});
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 401 });
  });
});
