import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { ApiKeyRing, resolveApiKeys } from './auth/api-keys';
import { AppConfig } from './config/app-config';
import { setUpOpenApi } from './http/open-api';
import { RequestValidationPipe } from './http/validation.pipe';
import { correlationIdOf } from './http/write-context';
import { openEventStore, redactStoreUrl } from './store/open-event-store';
import { EventStoreHolder } from './store/event-store.holder';

/** A single JSON body; batches of 10 000 items fit well below it. */
export const BODY_LIMIT_BYTES = 16 * 1024 * 1024;
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/**
 * Builds the whole application on the configured store without listening, so that `main.ts` and the e2e
 * tests start exactly the same thing. Opening the store and the keys happens first: a damaged database
 * or an unusable key file stops the start with a clear error.
 */
export const createApp = async (config: AppConfig): Promise<NestFastifyApplication> => {
  const keys = resolveApiKeys(config.apiKeys, config.dataDir);
  const storeHolder = new EventStoreHolder(openEventStore(config.eventStoreUrl), redactStoreUrl(config.eventStoreUrl));

  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', async (request: FastifyRequest & { correlationId?: string }, reply) => {
    const correlationId = correlationIdOf(request);
    request.correlationId = correlationId;
    (request.raw as typeof request.raw & { correlationId?: string }).correlationId = correlationId;
    void reply.header('X-Correlation-Id', correlationId);
  });
  // Bodies are JSON (or NDJSON for batches): anything else is 415, not a string handed to validation.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addContentTypeParser(NDJSON_CONTENT_TYPE, { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, keyRing: new ApiKeyRing(keys.keys), storeHolder }),
    adapter,
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new RequestValidationPipe());
  setUpOpenApi(app);
  await app.init();
  await fastify.ready();
  const logger = app.get(Logger);
  logger.log({ store: storeHolder.redactedUrl, dataDir: config.dataDir }, 'event store opened', 'Bootstrap');
  if (keys.file) {
    logger.log({ file: keys.file, generated: keys.generated }, keys.generated ? 'generated one API key per role (owner-only file); read them there' : 'using API keys from the data directory', 'Bootstrap');
  }
  return app;
};
