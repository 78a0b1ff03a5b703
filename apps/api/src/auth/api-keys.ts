import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfiguredKey, ROLES, Role } from '../config/app-config';

/** Who is calling: a role and a name safe to log and to store in `recordedBy` (never the key). */
export interface Principal {
  name: string;
  role: Role;
}

interface KeyEntry {
  digest: Buffer;
  principal: Principal;
}

const digestOf = (key: string): Buffer => hash('sha256', key, 'buffer');

/** A short, stable, non-reversible name for a key: `integrator-3f9a1c2b`. */
export const principalNameFor = (role: Role, key: string): string => `${role}-${digestOf(key).toString('hex').slice(0, 8)}`;

/**
 * Looks keys up in constant time: every presented key is hashed and compared with every known digest,
 * so neither the answer time nor an early exit tells which key (or how much of it) matched.
 */
export class ApiKeyRing {
  private readonly entries: KeyEntry[];

  constructor(keys: readonly ConfiguredKey[]) {
    this.entries = keys.map(({ role, key }) => ({ digest: digestOf(key), principal: { role, name: principalNameFor(role, key) } }));
  }

  authenticate(presented: string): Principal | undefined {
    const digest = digestOf(presented);
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest)) found = entry.principal;
    }
    return found;
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** What a request's `Authorization` header says: whether it holds a bearer key, and whose key it is. */
export interface Authentication {
  bearer: boolean;
  principal?: Principal;
}

/** A request that keeps its {@link Authentication} once worked out (a Fastify request decoration). */
export interface AuthenticatingRequest {
  headers: { authorization?: string | string[] };
  authentication?: Authentication | null;
}

/**
 * The request's authentication, hashing its key once: the rate limiter (its bucket) and the guard (the
 * answer) both ask, and each hash and constant-time comparison is a few microseconds.
 */
export const authenticationOf = (keyRing: ApiKeyRing, request: AuthenticatingRequest): Authentication => {
  if (request.authentication) return request.authentication;
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  return (request.authentication = { bearer: match !== null, principal: match ? keyRing.authenticate(match[1]) : undefined });
};

export const API_KEYS_FILE = 'api-keys.json';

export interface ResolvedKeys {
  keys: ConfiguredKey[];
  /** Where generated keys live, when they were not configured. */
  file?: string;
  generated: boolean;
}

/**
 * Keys from API_KEYS, or one per role generated on first start into `<dataDir>/api-keys.json`
 * (owner-only permissions) and reused afterwards.
 */
export const resolveApiKeys = (configured: ConfiguredKey[] | undefined, dataDir: string): ResolvedKeys => {
  if (configured) return { keys: configured, generated: false };
  const file = path.join(dataDir, API_KEYS_FILE);
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    const keys = ROLES.filter((role) => typeof stored[role] === 'string').map((role) => ({ role, key: stored[role] }));
    if (keys.length === 0) throw new Error(`${file} holds no keys; delete it to generate new ones`);
    return { keys, file, generated: false };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const keys = ROLES.map((role) => ({ role, key: `bsc_${role}_${randomBytes(24).toString('base64url')}` }));
  const content = JSON.stringify(Object.fromEntries(keys.map(({ role, key }) => [role, key])), null, 2);
  fs.writeFileSync(file, `${content}\n`, { mode: 0o600, flag: 'wx' });
  return { keys, file, generated: true };
};
