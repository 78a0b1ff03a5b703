import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config';

/** Request headers that may carry secrets; pino replaces them before a line is written. */
export const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', '*.apiKey', '*.key'];

/** JSON lines with the correlation id on every request-scoped line and no secrets. */
export const loggerOptions = (config: AppConfig): Params => ({
  forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
  pinoHttp: {
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    genReqId: (request: IncomingMessage) => (request as IncomingMessage & { correlationId?: string }).correlationId ?? 'unknown',
    customProps: (request: IncomingMessage) => ({ correlationId: (request as IncomingMessage & { correlationId?: string }).correlationId }),
    autoLogging: { ignore: (request: IncomingMessage) => (request.url ?? '').startsWith('/health') },
    serializers: {
      req: (request: { method: string; url: string; id: unknown }) => ({ method: request.method, url: request.url, id: request.id }),
    },
  },
});
