import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem';
import { ACCESS_KEY, Capability, ROLES_FOR } from './access.decorator';
import { ApiKeyRing, AuthenticatingRequest, authenticationOf, Principal } from './api-keys';

export type AuthenticatedRequest = FastifyRequest & AuthenticatingRequest & { principal?: Principal };

const unauthorized = (detail: string) =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keyRing: ApiKeyRing,
  ) {}

  /**
   * Per controller class and handler (a handler inherited by two controllers may answer differently): the
   * metadata does not change once routes are declared, and reading it is a reflection walk per request.
   */
  private readonly capabilities = new WeakMap<object, Map<object, Capability | undefined>>();

  private capabilityOf(context: ExecutionContext): Capability | undefined {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.capabilities.get(controller);
    if (!byHandler) this.capabilities.set(controller, (byHandler = new Map()));
    if (!byHandler.has(handler)) byHandler.set(handler, this.reflector.getAllAndOverride<Capability | undefined>(ACCESS_KEY, [handler, controller]));
    return byHandler.get(handler);
  }

  canActivate(context: ExecutionContext): boolean {
    const capability = this.capabilityOf(context);
    if (capability === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { bearer, principal } = authenticationOf(this.keyRing, request);
    if (!bearer) throw unauthorized('Send an API key as "Authorization: Bearer <key>".');
    if (!principal) throw unauthorized('The API key is not known.');
    request.principal = principal;
    if (!capability || !ROLES_FOR[capability].includes(principal.role)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', `The ${principal.role} role may not call this route.`);
    }
    return true;
  }
}
