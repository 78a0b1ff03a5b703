import { InvalidConfiguration } from '../config/app-config';
import { DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS, MAX_BUFFERED_BYTES, readLiveFeedConfig } from './live-feed.config';

describe('live feed configuration', () => {
  it('defaults to a 15 s heartbeat and a 1 MiB buffer bound', () => {
    expect(readLiveFeedConfig({})).toEqual({ heartbeatMs: DEFAULT_HEARTBEAT_MS, maxBufferedBytes: MAX_BUFFERED_BYTES, drainTimeoutMs: DEFAULT_DRAIN_TIMEOUT_MS });
    expect(readLiveFeedConfig({ LIVE_HEARTBEAT_MS: '' }).heartbeatMs).toBe(15_000);
  });

  it('takes whole milliseconds in range', () => {
    expect(readLiveFeedConfig({ LIVE_HEARTBEAT_MS: '200', LIVE_DRAIN_TIMEOUT_MS: '500' })).toMatchObject({ heartbeatMs: 200, drainTimeoutMs: 500 });
  });

  it.each(['0', '-5', '1.5', '15s', '99999999'])('refuses LIVE_HEARTBEAT_MS=%s, naming the variable', (raw) => {
    expect(() => readLiveFeedConfig({ LIVE_HEARTBEAT_MS: raw })).toThrow(InvalidConfiguration);
    expect(() => readLiveFeedConfig({ LIVE_HEARTBEAT_MS: raw })).toThrow(/LIVE_HEARTBEAT_MS/);
  });
});
