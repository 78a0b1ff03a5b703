import { withAdapterDefaults } from './esdb-connection-string';

describe('withAdapterDefaults', () => {
  it('adds short deadlines, keepalive and quick discovery to a bare connection string', () => {
    expect(withAdapterDefaults('esdb://localhost:2113')).toBe(
      'esdb://localhost:2113?defaultDeadline=5000&keepAliveInterval=10000&keepAliveTimeout=5000&maxDiscoverAttempts=3&gossipTimeout=2',
    );
  });

  it('keeps every option the caller set, whatever its spelling', () => {
    expect(withAdapterDefaults('esdb+discover://a:2113,b:2113?tls=false&default_deadline=800&KeepAliveInterval=-1&keep-alive-timeout=1&maxdiscoverattempts=9&gossipTimeout=1')).toBe(
      'esdb+discover://a:2113,b:2113?tls=false&default_deadline=800&KeepAliveInterval=-1&keep-alive-timeout=1&maxdiscoverattempts=9&gossipTimeout=1',
    );
  });

  it('appends to an existing query', () => {
    expect(withAdapterDefaults('esdb://localhost:2113?tls=false&defaultDeadline=1000')).toBe(
      'esdb://localhost:2113?tls=false&defaultDeadline=1000&keepAliveInterval=10000&keepAliveTimeout=5000&maxDiscoverAttempts=3&gossipTimeout=2',
    );
  });

  it('refuses anything but esdb:// and esdb+discover://', () => {
    expect(() => withAdapterDefaults('sqlite:///data/events.db')).toThrow(RangeError);
  });
});
