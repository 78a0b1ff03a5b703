import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_KEYS, TestApp, startTestApp } from '../support/test-app';

/**
 * Runs every ```bash block of the README's Walkthrough, in order, against the built app with the demo data
 * set, as a reader pasting them into one shell would (variables carry over from block to block), and
 * checks each answer against the `# → <json>` line the README shows for it. A README example that fails,
 * or whose answer changes, fails here.
 */
const README = path.resolve(__dirname, '../../README.md');

interface Block {
  name: string;
  code: string;
  /** The answers the README shows, one per output line, in order. */
  expected: unknown[];
}

const walkthroughBlocks = (markdown: string): Block[] => {
  const start = markdown.indexOf('\n## Walkthrough\n');
  if (start < 0) throw new Error('README.md has no "## Walkthrough" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```bash(?:[ \t]+([\w-]+))?[ \t]*\n([\s\S]*?)^```[ \t]*$/gm)].map(([, name, code], index) => ({
    name: name ?? `block-${index + 1}`,
    code,
    expected: [...code.matchAll(/^# → (.+)$/gm)].map(([, answer]) => JSON.parse(answer) as unknown),
  }));
};

/** Shell variables the blocks assign, carried from one block's process to the next. */
const assignedNames = (blocks: Block[]): string[] => [...new Set(blocks.flatMap((block) => [...block.code.matchAll(/^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=/gm)].map(([, name]) => name)))];

/** Each output line is one answer: `jq -c` prints one JSON value per line, `curl -w '%{http_code}\n'` a number. */
const answersOf = (stdout: string): unknown[] =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return line;
      }
    });

describe('README walkthrough', () => {
  const blocks = walkthroughBlocks(fs.readFileSync(README, 'utf8'));
  const names = assignedNames(blocks);
  let app: TestApp;
  let workDir: string;
  const outputs = new Map<string, unknown[]>();

  beforeAll(async () => {
    app = await startTestApp({ SEED_DEMO: 'true' });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-readme-'));
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  const run = (block: Block): unknown[] => {
    const state = path.join(workDir, '.walkthrough-state');
    const script = [
      'set -euo pipefail',
      `if [ -f '${state}' ]; then source '${state}'; fi`,
      block.code,
      `declare -p ${names.join(' ')} > '${state}' 2>/dev/null || true`,
    ].join('\n');
    try {
      const stdout = execFileSync('bash', ['-c', script], {
        cwd: workDir,
        encoding: 'utf8',
        timeout: 30_000,
        env: {
          PATH: process.env.PATH,
          HOME: workDir,
          BASE: app.url,
          INTEGRATOR_KEY: TEST_KEYS.integrator,
          ANALYST_KEY: TEST_KEYS.analyst,
          AUDITOR_KEY: TEST_KEYS.auditor,
        },
      });
      return answersOf(stdout);
    } catch (error) {
      const failed = error as { status?: number; stdout?: string; stderr?: string };
      throw new Error(`README block "${block.name}" exited with ${failed.status}:\n${block.code}\nstdout: ${failed.stdout}\nstderr: ${failed.stderr}`, { cause: error });
    }
  };

  it('has the walkthrough blocks for each kind of user, in order', () => {
    expect(blocks.map((block) => block.name)).toEqual([
      'setup',
      'integrator-announce',
      'integrator-replay',
      'analyst-as-of',
      'integrator-correction',
      'analyst-known-at',
      'analyst-tariff',
      'auditor-history',
      'auditor-integrity',
      'auditor-anchor',
    ]);
    expect(blocks.slice(1).filter((block) => block.expected.length === 0).map((block) => block.name)).toEqual([]);
  });

  // Blocks depend on the ones before them (the announcement's event id, the correction's position), so
  // they run in README order within one test each, and a failure stops the rest.
  it.each(blocks.map((block) => [block.name, block] as const))('%s: runs and answers as the README shows', (name, block) => {
    const previous = blocks.slice(0, blocks.indexOf(block)).map((earlier) => earlier.name);
    const missing = previous.filter((earlier) => !outputs.has(earlier));
    if (missing.length > 0) throw new Error(`not run because an earlier block failed: ${missing.join(', ')}`);
    const answers = run(block);
    outputs.set(name, answers);
    expect(answers).toHaveLength(block.expected.length);
    block.expected.forEach((expected, index) => {
      if (expected !== null && typeof expected === 'object') expect(answers[index]).toMatchObject(expected);
      else expect(answers[index]).toEqual(expected);
    });
  });

  it('records who wrote the fact and keeps a usable anchor', () => {
    const [history] = outputs.get('auditor-history') ?? [];
    expect(history).toMatchObject({ recordedBy: expect.stringMatching(/^integrator-[0-9a-f]{8}$/) });
    const anchor = JSON.parse(fs.readFileSync(path.join(workDir, 'anchor.json'), 'utf8')) as { position: number; digest: string };
    expect(anchor).toEqual({ position: expect.any(Number), digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(anchor.position).toBeGreaterThan(70);
  });
});
