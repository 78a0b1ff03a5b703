import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem';
import { ACCESS_KEY, Capability, ROLES_FOR } from './access.decorator';
import { ApiKeyRing, Principal } from './api-keys';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const unauthorized = (detail: string) =>
  new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer' } });

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keyRing: ApiKeyRing,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const capability = this.reflector.getAllAndOverride<Capability | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (capability === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthorized('Send an API key as "Authorization: Bearer <key>".');
    const principal = this.keyRing.authenticate(match[1]);
    if (!principal) throw unauthorized('The API key is not known.');
    request.principal = principal;
    if (!capability || !ROLES_FOR[capability].includes(principal.role)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', `The ${principal.role} role may not call this route.`);
    }
    return true;
  }
}
