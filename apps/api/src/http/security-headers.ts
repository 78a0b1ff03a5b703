// Nest's own resolver behind `app.useSecurityHeaders()` (helmet 8's defaults, options validated at start),
// not re-exported from the package index. Its hook sets each header with Node's `setHeader`, which costs
// every answer a header check per header and Node's slower header path; Fastify's reply headers do not.
import { resolveSecurityHeaders } from '@nestjs/core/security/security-headers';

/**
 * Swagger UI at /docs loads its scripts from us and sets inline styles; nothing is loaded from elsewhere.
 * No `upgrade-insecure-requests`: behind plain HTTP (local runs, a TLS-terminating proxy's backend address)
 * it would send the browser to https for the UI's own assets.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * The headers every answer carries, resolved once. Headers the resolver would remove (`X-Powered-By`)
 * are never set by Fastify or by us, so there is nothing to remove.
 */
export const securityHeaders = (): Readonly<Record<string, string>> =>
  Object.freeze(Object.fromEntries(resolveSecurityHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY }).headers));
