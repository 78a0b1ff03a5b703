import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import { Logger } from 'nestjs-pino';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { ApiKeyRing, authenticationOf, resolveApiKeys } from './auth/api-keys';
import { AppConfig } from './config/app-config';
import { setUpOpenApi } from './http/open-api';
import { frameworkErrorHandler } from './http/problem-details.filter';
import { securityHeaders } from './http/security-headers';
import { RequestValidationPipe } from './http/validation.pipe';
import { ProblemException } from './http/problem';
import { parseJsonText } from './http/json-text';
import { correlationIdOf } from './http/write-context';
import { createRootLogger, RequestLogController } from './http/logger-options';
import { ApiMetrics } from './operations/metrics';
import { InstrumentedEventStore } from './store/instrumented-event-store';
import { openEventStore, redactStoreUrl } from './store/open-event-store';
import { EventStoreHolder } from './store/event-store.holder';

/** A single JSON body; batches of 10 000 items fit well below it. */
export const BODY_LIMIT_BYTES = 16 * 1024 * 1024;
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/**
 * One bucket per known API key (its principal name, a hash prefix: the key itself is never kept), else per
 * client address: made-up keys share their sender's bucket instead of each getting a fresh one.
 */
const rateLimitKey =
  (keyRing: ApiKeyRing) =>
  (request: FastifyRequest): string => {
    const { principal } = authenticationOf(keyRing, request);
    return principal ? `key:${principal.name}` : `ip:${request.ip}`;
  };

const registerRateLimit = async (app: NestFastifyApplication, config: AppConfig, keyRing: ApiKeyRing): Promise<void> => {
  if (config.rateLimitPerMinute === 0) return;
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey(keyRing),
    // Probes and the metrics scrape opt out per route (@RateLimitExempt).
    // Thrown into Nest's error handling, so a 429 leaves as problem details like every other error.
    errorResponseBuilder: (_request, context) => {
      const retryAfter = String(Math.max(1, Math.ceil(context.ttl / 1000)));
      return new ProblemException(429, 'rate-limited', 'Too many requests', `More than ${context.max} requests per minute for this key; retry after ${retryAfter} s.`, {
        headers: { 'Retry-After': retryAfter },
      });
    },
  });
};

/**
 * JSON bodies are parsed by the same function as NDJSON batch lines and import lines, so all three refuse
 * the same texts and say why ("Unexpected end of JSON input", "Object contains forbidden prototype
 * property"): Fastify's own parser answered every failure with one generic sentence.
 */
const parseJsonBody = (_request: FastifyRequest, text: string, done: (error: Error | null, body?: unknown) => void): void => {
  if (text.trim() === '') return done(new ProblemException(400, 'malformed-json', 'Malformed JSON', 'The body is empty; send a JSON object.'));
  try {
    done(null, parseJsonText(text));
  } catch (error) {
    done(new ProblemException(400, 'malformed-json', 'Malformed JSON', `The body is not valid JSON: ${(error as Error).message}.`));
  }
};

/**
 * Answers that finish after shutdown began close their connection. Node only reaps keep-alive sockets that
 * are idle when the server closes; one whose request was still in flight would otherwise become idle later
 * and hold the process open until its keep-alive timeout, past the shutdown deadline.
 */
const closeConnectionsOnShutdown = (fastify: FastifyInstance): void => {
  let stopping = false;
  fastify.addHook('preClose', async () => {
    stopping = true;
  });
  // Callback-style, like the hooks below: an async hook costs every request a promise and a microtask turn.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (stopping) void reply.header('Connection', 'close');
    done(null, payload);
  });
};

/** Request counts and latencies by route template: raw URLs carry ids and would grow the series without bound. */
const recordRequestMetrics = (fastify: FastifyInstance, metrics: ApiMetrics): void => {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
};

/**
 * Builds the whole application on the configured store without listening, so that `main.ts` and the e2e
 * tests start exactly the same thing. Opening the store and the keys happens first: a damaged database
 * or an unusable key file stops the start with a clear error.
 */
export const createApp = async (config: AppConfig): Promise<NestFastifyApplication> => {
  const keys = resolveApiKeys(config.apiKeys, config.dataDir);
  const metrics = new ApiMetrics();
  const store = new InstrumentedEventStore(openEventStore(config.eventStoreUrl), metrics);
  const storeHolder = new EventStoreHolder(store, redactStoreUrl(config.eventStoreUrl));
  const keyRing = new ApiKeyRing(keys.keys);
  const logger = createRootLogger(config);

  const headersOfEveryAnswer = securityHeaders();
  /** Helmet's protection and the correlation id, on every answer: routes, 404s, and the router's own refusals. */
  const stampAnswer = (request: FastifyRequest, reply: FastifyReply): void => {
    void reply.headers(headersOfEveryAnswer).header('X-Correlation-Id', request.id);
  };

  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    // The request id is the correlation id, so every line a request's logger writes carries it.
    requestIdHeader: false,
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // Ids are at most 80 characters and event ids 36; longer parameters are refused as problem details.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: (error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) => {
      stampAnswer(request, reply);
      frameworkErrorHandler(error, request, reply);
    },
  });
  const fastify = adapter.getInstance();
  // Declared up front so every request object has the same shape; filled on first use (authenticationOf).
  fastify.decorateRequest('authentication', null);
  fastify.addHook('onRequest', (request, reply, done) => {
    stampAnswer(request, reply);
    done();
  });
  recordRequestMetrics(fastify, metrics);
  closeConnectionsOnShutdown(fastify);
  // Bodies are JSON (or NDJSON for batches): anything else is 415, not a string handed to validation.
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, parseJsonBody);
  fastify.addContentTypeParser(NDJSON_CONTENT_TYPE, { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, logger, keyRing, storeHolder, metrics }),
    adapter,
    // Nest's own parsers would add application/x-www-form-urlencoded (flat strings handed to validation)
    // and a second JSON parser: the parsers registered above are all there is.
    { bufferLogs: true, abortOnError: false, bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  await registerRateLimit(app, config, keyRing);
  app.useGlobalPipes(new RequestValidationPipe());
  setUpOpenApi(app);
  await app.init();
  await fastify.ready();
  const nestLogger = app.get(Logger);
  nestLogger.log({ store: storeHolder.redactedUrl, dataDir: config.dataDir }, 'event store opened', 'Bootstrap');
  if (keys.file) {
    nestLogger.log({ file: keys.file, generated: keys.generated }, keys.generated ? 'generated one API key per role (owner-only file); read them there' : 'using API keys from the data directory', 'Bootstrap');
  }
  return app;
};
