/**
 * The CLI's exit codes, documented in apps/cli/README.md. Scripts branch on them, so a code keeps its
 * meaning once published.
 */
export const EXIT = {
  /** Done, and every check passed. */
  ok: 0,
  /** Done, but the result is negative: integrity or verification failed, or import lines were refused. */
  failed: 1,
  /** The command line is wrong: unknown command or option, missing or malformed value. */
  usage: 2,
  /** A store cannot be opened or reached, or an input file cannot be read. */
  unavailable: 3,
  /** The migration target holds a history that is not a prefix of the source's; nothing was written. */
  conflict: 4,
  /** A bug: an error the CLI has no better answer for. */
  internal: 70,
  /** Interrupted (Ctrl-C / SIGINT); a rerun resumes where it makes sense (import, migrate). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected way for a command to end without success; `main` prints the message and exits with the code. */
export class CliFailure extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

export const usageError = (message: string): CliFailure => new CliFailure(EXIT.usage, message);
