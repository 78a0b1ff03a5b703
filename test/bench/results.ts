import fs from 'node:fs';
import path from 'node:path';

export interface Figure {
  name: string;
  unit: string;
  value: number;
  baseline?: { name: string; value: number };
  ratio?: number;
  target: string;
  pass: boolean;
  detail?: Record<string, unknown>;
}

export interface BenchRun {
  startedAt: string;
  seconds: number;
  scale: number;
  events: { small: number; large: number };
  durationSeconds: number;
  machine: Record<string, unknown>;
  figures: Figure[];
  failures: string[];
}

export const RESULTS_DIR = path.resolve(__dirname, 'results');

/** Why a missed target is missed, next to the figure: targets stay as the issue set them. */
const NOTES: Record<string, string> = {
  'single-event POST req/s (64 connections, durable store)':
    'Every acknowledged write waits for an fsync (synchronous=FULL); group commit shares one per event-loop turn, so p99 follows the disk and the number of writers.',
  'Nest no-op GET req/s': 'Nest adds guards, interceptors, request logging, security headers and rate limiting on every request; plain Fastify has none of them.',
  '/v1/batch events/s (1 000-item batches)': 'Each item runs the whole write path (validation, stream read, decide, seal, reference checks), one append per item.',
};

const toMarkdown = (run: BenchRun): string => {
  const lines = [
    `# Benchmarks — ${run.startedAt}`,
    '',
    `Scale ${run.scale} (${run.events.small} and ${run.events.large} events), ${run.durationSeconds} s per load phase, ${run.seconds} s in all. Machine: ${JSON.stringify(run.machine)}.`,
    '',
    '| figure | value | baseline (same run) | ratio | target | result |',
    '|---|---|---|---|---|---|',
    ...run.figures.map((f) => {
      const p = f.detail && 'p50Ms' in f.detail ? ` (p50 ${String(f.detail.p50Ms)} ms${'p99Ms' in f.detail ? `, p99 ${String(f.detail.p99Ms)} ms` : ''})` : '';
      return `| ${f.name} | ${f.value} ${f.unit}${p} | ${f.baseline ? `${f.baseline.value} — ${f.baseline.name}` : '—'} | ${f.ratio ?? '—'} | ${f.target} | ${f.pass ? 'pass' : '**miss**'} |`;
    }),
    '',
  ];
  const missed = run.figures.filter((f) => !f.pass);
  if (missed.length > 0) {
    lines.push('## Missed targets', '');
    for (const f of missed) lines.push(`- ${f.name}: ${NOTES[f.name] ?? 'see the detail in latest.json.'}`);
    lines.push('');
  }
  if (run.failures.length > 0) lines.push('## Phases that did not complete', '', ...run.failures.map((f) => `- ${f}`), '');
  return lines.join('\n');
};

/** Writes latest.json, latest.md and a timestamped copy, so earlier runs stay for comparison. */
export const writeResults = (run: BenchRun): string[] => {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const json = JSON.stringify(run, null, 2);
  const stamp = run.startedAt.replace(/[:.]/g, '-');
  const files = [path.join(RESULTS_DIR, 'latest.json'), path.join(RESULTS_DIR, `${stamp}.json`), path.join(RESULTS_DIR, 'latest.md')];
  fs.writeFileSync(files[0], json);
  fs.writeFileSync(files[1], json);
  fs.writeFileSync(files[2], toMarkdown(run));
  return files;
};
