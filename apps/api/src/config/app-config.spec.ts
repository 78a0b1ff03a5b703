import { InvalidConfiguration, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('writes the projection checkpoint every 5 s by default, or as CHECKPOINT_INTERVAL_MS says', () => {
    expect(loadConfig({}).checkpointIntervalMs).toBe(5000);
    expect(loadConfig({ CHECKPOINT_INTERVAL_MS: '' }).checkpointIntervalMs).toBe(5000);
    expect(loadConfig({ CHECKPOINT_INTERVAL_MS: '250' }).checkpointIntervalMs).toBe(250);
    expect(loadConfig({ CHECKPOINT_INTERVAL_MS: '3600000' }).checkpointIntervalMs).toBe(3_600_000);
  });

  it.each(['99', '3600001', '0', '-5', '1.5', '5s', 'often'])('refuses CHECKPOINT_INTERVAL_MS=%s, naming it', (raw) => {
    expect(() => loadConfig({ CHECKPOINT_INTERVAL_MS: raw })).toThrow(InvalidConfiguration);
    expect(() => loadConfig({ CHECKPOINT_INTERVAL_MS: raw })).toThrow(/CHECKPOINT_INTERVAL_MS/);
  });
});
