import { Command, CommanderError } from 'commander';
import { CliFailure, EXIT, ExitCode } from './exit-codes';
import { registerExportCommand } from './export.command';
import { registerImportCommand } from './import.command';
import { registerMigrateCommand } from './migrate.command';
import { registerReplayCommand } from './replay.command';
import { registerVerifyCommand } from './verify.command';
import { setProgressEnabled } from './progress';

/** Runs one command's work and turns its outcome into the process's exit code. */
const run = async (work: () => Promise<ExitCode>): Promise<void> => {
  try {
    process.exitCode = await work();
  } catch (error) {
    if (error instanceof CliFailure) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.internal;
  }
};

const buildProgram = (): Command => {
  const program = new Command('cli')
    .description('Battery supply chain record: export, import, migrate, verify and replay the event log')
    .option('--no-progress', 'no progress display on stderr, even on a terminal')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.hook('preAction', (command) => setProgressEnabled(command.opts<{ progress: boolean }>().progress));
  registerExportCommand(program, run);
  registerImportCommand(program, run);
  registerMigrateCommand(program, run);
  registerVerifyCommand(program, run);
  registerReplayCommand(program, run);
  return program;
};

const main = async (): Promise<void> => {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });
  process.once('SIGINT', () => {
    process.stderr.write('\ninterrupted; rerunning import or migrate resumes where this run stopped\n');
    process.exit(EXIT.interrupted);
  });
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Commander already printed the message; help and --version end with 0, every other parse error is usage.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
};

void main();
