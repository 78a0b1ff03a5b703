import 'reflect-metadata';
import { createApp } from './app.factory';
import { InvalidConfiguration, loadConfig } from './config/app-config';

const bootstrap = async (): Promise<void> => {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof InvalidConfiguration) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: error.message, variable: error.variable })}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  // Started by a parent over IPC (tests, supervisors): when the parent goes away, shut down cleanly.
  process.once('disconnect', () => void app.close().then(() => process.exit(0)));
};

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: `start failed: ${message}`, error: error instanceof Error ? error.name : undefined })}\n`);
  process.exit(1);
});
