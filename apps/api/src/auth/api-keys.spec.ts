import { ApiKeyRing, authenticationOf, principalNameFor } from './api-keys';

describe('authenticationOf', () => {
  const ring = new ApiKeyRing([{ role: 'integrator', key: 'integrator-key-0123456789' }]);
  const request = (authorization?: string | string[]) => ({ headers: { authorization } });

  it('tells a missing or malformed header from an unknown key and a known one', () => {
    expect(authenticationOf(ring, request())).toEqual({ bearer: false, principal: undefined });
    expect(authenticationOf(ring, request('Basic abc'))).toEqual({ bearer: false, principal: undefined });
    expect(authenticationOf(ring, request(['Bearer a', 'Bearer b']))).toEqual({ bearer: false, principal: undefined });
    expect(authenticationOf(ring, request('Bearer not-a-key'))).toEqual({ bearer: true, principal: undefined });
    expect(authenticationOf(ring, request('bearer   integrator-key-0123456789  '))).toEqual({
      bearer: true,
      principal: { role: 'integrator', name: principalNameFor('integrator', 'integrator-key-0123456789') },
    });
  });

  it('hashes the key once per request, however often it is asked', () => {
    const authenticate = jest.spyOn(ring, 'authenticate');
    const asked = request('Bearer integrator-key-0123456789');
    const first = authenticationOf(ring, asked);
    expect(authenticationOf(ring, asked)).toBe(first);
    expect(authenticate).toHaveBeenCalledTimes(1);
    authenticationOf(ring, request('Bearer integrator-key-0123456789'));
    expect(authenticate).toHaveBeenCalledTimes(2);
  });
});
