import 'reflect-metadata';
import { createApp } from './app.factory';
import { InvalidConfiguration, loadConfig } from './config/app-config';

const SHUTDOWN_DEADLINE_MS = 10_000;

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
  // Graceful stop: refuse new connections, finish in-flight requests, checkpoint projections, close the
  // store, then exit 0. A parent over IPC (tests, supervisors) going away counts as a stop request too.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // A stop must end even if a dependency never lets go; exit non-zero so supervisors notice.
    setTimeout(() => {
      process.stderr.write(`${JSON.stringify({ level: 'error', msg: `shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; exiting` })}\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'shutdown failed', error: String(error) })}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, stop);
  process.once('disconnect', stop);
};

bootstrap().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: `start failed: ${message}`, error: error instanceof Error ? error.name : undefined })}\n`);
  process.exit(1);
});
