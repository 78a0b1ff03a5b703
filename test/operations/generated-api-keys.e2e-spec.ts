import fs from 'node:fs';
import path from 'node:path';
import { startTestApp, TestApp, Role } from '../support/test-app';
import { companyBody, uniqueId } from '../support/seed-bodies';

/** With no API_KEYS the first start generates one key per role, owner-only, and says where. */
let app: TestApp;
const ROLES: Role[] = ['integrator', 'analyst', 'auditor', 'admin'];

const readKeys = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;

beforeAll(async () => {
  app = await startTestApp({ API_KEYS: '', LOG_LEVEL: 'info' });
}, 60_000);

afterAll(async () => {
  await app?.destroy();
});

describe('generated API keys', () => {
  it('the first start writes <dataDir>/api-keys.json with mode 0600 and one working key per role', async () => {
    const file = path.join(app.dataDir, 'api-keys.json');
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const keys = readKeys(file);
    expect(Object.keys(keys).sort()).toEqual([...ROLES].sort());
    expect(new Set(Object.values(keys)).size).toBe(4);

    // integrator and admin may write, analyst and auditor may not; a test key is unknown
    for (const role of ROLES) {
      const response = await app.http().post('/v1/companies').set('Authorization', `Bearer ${keys[role]}`).send(companyBody(uniqueId(`by-${role}`)));
      expect({ role, status: response.status }).toEqual({ role, status: role === 'integrator' || role === 'admin' ? 201 : 403 });
    }
    expect((await app.http().post('/v1/companies').set(app.auth('integrator')).send(companyBody(uniqueId('nope')))).status).toBe(401);
  });

  it('the log names the file and never contains a key', () => {
    const file = path.join(app.dataDir, 'api-keys.json');
    const output = app.output();
    expect(output).toContain(file);
    for (const key of Object.values(readKeys(file))) expect(output).not.toContain(key);
  });

  it('a second start reuses the same keys', async () => {
    const file = path.join(app.dataDir, 'api-keys.json');
    const before = fs.readFileSync(file, 'utf8');
    const keys = readKeys(file);
    await app.close();
    app = await startTestApp({ API_KEYS: '', LOG_LEVEL: 'info' }, app.dataDir);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const response = await app.http().post('/v1/companies').set('Authorization', `Bearer ${keys.integrator}`).send(companyBody(uniqueId('again')));
    expect(response.status).toBe(201);
    const output = app.output();
    for (const key of Object.values(keys)) expect(output).not.toContain(key);
  }, 60_000);
});
