import fs from 'node:fs';
import path from 'node:path';

export const DEMO_EVENTS_FILE_NAME = 'demo-events.ndjson';

/**
 * Where the demo data set is: beside this module when run from the sources (ts-node, jest), and in the
 * repository's source tree when run from `dist/apps/api/src/demo` (`nest build` copies no data files).
 */
export const demoEventsFile = (): string => {
  const candidates = [
    path.join(__dirname, DEMO_EVENTS_FILE_NAME),
    path.resolve(__dirname, '../../../../../apps/api/src/demo', DEMO_EVENTS_FILE_NAME),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`the demo data set ${DEMO_EVENTS_FILE_NAME} is not in ${candidates.join(' or ')}`);
  return found;
};

/** One NDJSON line: the batch item as parsed, or why the line is not JSON. */
export type DemoLine = { line: number; item: unknown } | { line: number; error: string };

/** Parses NDJSON text: one batch item per non-blank line, numbered from 1 as an editor shows them. */
export const parseDemoEvents = (text: string): DemoLine[] =>
  text.split(/\r?\n/).flatMap((content, index): DemoLine[] => {
    if (content.trim() === '') return [];
    try {
      return [{ line: index + 1, item: JSON.parse(content) as unknown }];
    } catch (error) {
      return [{ line: index + 1, error: (error as Error).message }];
    }
  });

export const readDemoEvents = (file = demoEventsFile()): DemoLine[] => parseDemoEvents(fs.readFileSync(file, 'utf8'));
