import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PROJECTION_VERSION, ReadModelState, deserialize, serialize } from './read-model-state';

/**
 * Writes the state so that a crash leaves either the previous checkpoint or this one, never a torn
 * file: temp file, fsync, rename, then fsync of the directory so the rename itself is durable.
 */
export const writeCheckpoint = async (path: string, state: ReadModelState): Promise<void> => {
  const text = JSON.stringify(serialize(state));
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(text, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  await syncDirectory(dirname(path));
};

const syncDirectory = async (directory: string): Promise<void> => {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
};

/** Why a checkpoint was not used; the caller logs it and rebuilds from the log. */
export type CheckpointMiss = { reason: 'absent' } | { reason: 'version'; found: unknown } | { reason: 'unreadable'; error: string };

/** Loads a checkpoint of this `PROJECTION_VERSION`, or says why there is none to use. */
export const readCheckpoint = async (path: string): Promise<{ state: ReadModelState } | CheckpointMiss> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { reason: 'absent' };
    return { reason: 'unreadable', error: String(error) };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { reason: 'unreadable', error: String(error) };
  }
  const found = (json as { version?: unknown } | null)?.version;
  if (found !== PROJECTION_VERSION) return { reason: 'version', found };
  try {
    return { state: deserialize(json) };
  } catch (error) {
    return { reason: 'unreadable', error: String(error) };
  }
};
