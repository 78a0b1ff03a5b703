import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { once } from 'node:events';
import { CliFailure, EXIT } from './exit-codes';

/** Where NDJSON goes: stdout, or a file that appears only once it is complete. */
export interface NdjsonSink {
  write(value: unknown): Promise<void>;
  /** Flushes; a file is renamed into place only here. */
  finish(): Promise<void>;
  /** Drops a half-written file. */
  abandon(): void;
}

const waitForDrain = async (stream: NodeJS.WritableStream, ok: boolean): Promise<void> => {
  if (!ok) await once(stream, 'drain');
};

/**
 * A half-written export must never be mistaken for a whole one, so a file is written beside its final
 * name and renamed at the end.
 */
export const ndjsonSink = (file: string | undefined): NdjsonSink => {
  if (file === undefined) {
    return {
      write: (value) => waitForDrain(process.stdout, process.stdout.write(`${JSON.stringify(value)}\n`)),
      finish: async () => {
        if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
      },
      abandon: () => undefined,
    };
  }
  const partial = `${file}.partial`;
  let stream: fs.WriteStream;
  try {
    stream = fs.createWriteStream(partial, { flags: 'w' });
  } catch (error) {
    throw new CliFailure(EXIT.unavailable, `cannot write ${file}: ${(error as Error).message}`);
  }
  let failure: Error | undefined;
  stream.on('error', (error) => (failure = error));
  const check = () => {
    if (failure) throw new CliFailure(EXIT.unavailable, `cannot write ${file}: ${failure.message}`);
  };
  return {
    write: async (value) => {
      check();
      await waitForDrain(stream, stream.write(`${JSON.stringify(value)}\n`));
    },
    finish: async () => {
      check();
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      check();
      fs.renameSync(partial, file);
    },
    abandon: () => {
      stream.destroy();
      fs.rmSync(partial, { force: true });
    },
  };
};

export interface InputFile {
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  /** Lines with something on them, for progress. */
  nonBlankLines: number;
}

/** One pass over the file: its content hash (the import's identity) and how many items it holds. */
export const inspectInput = async (file: string): Promise<InputFile> => {
  const hash = createHash('sha256');
  let nonBlankLines = 0;
  try {
    for await (const line of lines(file)) {
      if (line.text.trim() !== '') nonBlankLines += 1;
    }
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new CliFailure(EXIT.unavailable, `cannot read ${file}: ${(error as Error).message}`);
  }
  return { sha256: hash.digest('hex'), nonBlankLines };
};

/** The file's lines with their 1-based numbers, as an editor shows them. */
export async function* lines(file: string): AsyncGenerator<{ number: number; text: string }> {
  const reader = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const text of reader) {
    number += 1;
    yield { number, text };
  }
}
