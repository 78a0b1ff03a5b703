import { RouteConfig } from '@nestjs/platform-fastify';

/**
 * For probes and scrapers, which call often and without a key: limiting them would only blind monitoring.
 * Set on the route, so the rate limiter leaves it out when the route is registered instead of asking on
 * every request.
 */
export const RateLimitExempt = (): MethodDecorator => RouteConfig({ rateLimit: false });
