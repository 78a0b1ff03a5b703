import { SetMetadata } from '@nestjs/common';
import { Role } from '../config/app-config';

/** What a route does, which decides who may call it. */
export type Capability = 'public' | 'write' | 'read' | 'audit' | 'admin';

export const ROLES_FOR: Readonly<Record<Exclude<Capability, 'public'>, readonly Role[]>> = {
  write: ['integrator', 'admin'],
  read: ['integrator', 'analyst', 'auditor', 'admin'],
  audit: ['auditor', 'admin'],
  admin: ['admin'],
};

export const ACCESS_KEY = 'bsc:access';

/** Every route declares its capability; a route without one is refused to everybody. */
export const Access = (capability: Capability): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_KEY, capability);
