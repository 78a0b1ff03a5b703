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

/** The median server CPU per answer of each side of an alternating figure (its detail `turns`), e.g. "post 281 µs, noop 107 µs". */
const cpuPerAnswer = (figure: Figure): string => {
  const turns = (figure.detail?.turns ?? []) as { side: string; serverCpuMicrosPerRequest: number }[];
  const sides = [...new Set(turns.map((turn) => turn.side))];
  return sides
    .map((side) => {
      const values = turns.filter((turn) => turn.side === side).map((turn) => turn.serverCpuMicrosPerRequest).sort((a, b) => a - b);
      return `${side} ${Math.round(values[Math.floor(values.length / 2)])} µs`;
    })
    .join(', ');
};

/**
 * Why a missed target is missed, next to the figure: targets stay as the issue set them. Keyed by the start
 * of the figure's name (query figures name the history size). Figures of this run are read from it; the
 * breakdowns come from CPU profiles of the same loads taken on 2026-12-05 and say so.
 */
const NOTES: [prefix: string, why: (figure: Figure) => string][] = [
  [
    'single-event POST req/s',
    (figure) =>
      `Every acknowledged write is a durable commit (WAL, synchronous=FULL; group commit shares one fsync per event-loop turn) after validation, decide, reference checks and sealing, all on one event loop; server CPU per answer in this run (median of turns): ${cpuPerAnswer(figure)}. With 64 connections each waiting for its answer, mean latency is 64 ÷ throughput (Little's law): ${Math.round(64_000 / figure.value)} ms at ${figure.value} writes/s before any tail, so a p99 of 25 ms needs close to the no-op's throughput, and the no-op is refused by the auth guard and does none of the work. In the profile of 2026-12-06 (before reads shared a per-turn read transaction, which took server CPU per write from 252–269 to 235–238 µs in alternating runs): validation and class-transformer ~12 %, reading the stream ~10 % (23–30 µs, mostly taking the WAL's shared-memory locks), the group commit ~11 %, canonical JSON and SHA-256 ~7 %, garbage collection ~7 %, projection and checkpoints the rest with HTTP.`,
  ],
  [
    'Nest no-op GET req/s',
    (figure) =>
      `Server CPU per answer in this run (median of turns): ${cpuPerAnswer(figure)}. In the profile of 2026-12-05, the one writev per answer cost both sides about 20 µs in the kernel, and Nest's extra was spread thin, with no hot spot: 12 security headers and the correlation id through Node's header checks (the largest share, about 2 µs), the router's guard and interceptor pipeline, request metrics, logging. On 2 cores the load generator shares the machine, so req/s follows that CPU ratio. Allocation sampling on 2026-12-06: about 21 KB per no-op answer, the security-header hook (each header set through Node's checks) ~14 % of it and the 880-byte header block ~12 % (Fastify's hello-world answer is about 150 bytes). Three alternating pairs without the security headers answered 18 %, 10 % and 36 % more, but their server CPU per answer moved by −16 %, −1 % and +42 %: too noisy to size the headers' cost, which may be more than the 2 µs estimated on 2026-12-05. They stay, as the browser-facing protection the README documents on every answer. Since 2026-12-07 they are set as Fastify reply headers instead of by Nest's hook (one Node setHeader each, which also sent every answer down Node's slower header path): more answers in 7 of 8 alternating pairs (median about +10 %); a run of the no-op phase alone then measured 0.69 and the next full run 0.66 (a slow stretch of the machine). What is left is spread as before; a profile of 2026-12-07 had 39 % of the server's samples in the one writev per answer and 31 % idle, waiting for the load generator, which parses our 19 header lines (Fastify's answer has 5) in JavaScript.`,
  ],
  [
    'append → read-model lag',
    () => 'Measured in the API (projection_apply_lag_seconds) from the record time, which is taken before the append waits for its group commit and fsync, to the read models having it: under 64 writers most of it is that wait and the turns of the one event loop that commits, projection and requests share. The projection is woken by each commit, without polling.',
  ],
  [
    '/v1/batch events/s',
    (figure) =>
      `One event loop does every item's work but validation: at ${figure.value} events/s that is about ${Math.round(1e6 / figure.value)} µs an item. In the profile of a batch run on 2026-12-05, class-validator and class-transformer took ~19 % of the time and half of the 62 KB allocated per item (heap sampling: the executor makes an error object for every property it checks, then drops the empty ones), garbage collection ~16 %, canonical JSON and SHA-256 for the hash chain ~14 %, SQLite inserts and commit ~12 %, projection catch-up ~6 %, checkpoints ~4 %. Since 2026-12-07 batches of 64 items or more are validated on a worker thread (the other core): the event loop then allocated 33 instead of 66 KB an item, and in its profile what is left is garbage collection ~20 %, the SQLite transaction ~14 % (what the raw baseline itself costs: about 13 µs a row), sealing ~12 %, applying the events to the read models ~9 % and reading them back for that ~5 %; alternating runs answered 13–27 % more in two pairs of three (the third 7 % less: noise). A young generation four times the default (--max-semi-space-size=64) halved the collections' time per item in batches (7.2–8.0 against 13.5–14.1 ms per 1 000 items) but made the rebuild slower (93 000 against 104 000–113 000 events/s, twice each) and the queries no better, so it is not used. The raw baseline inserts the same sealed rows (the same time-ordered event ids) and does none of the per-item work; 50 000 events/s is most of that baseline itself. Since 2026-12-08 a projection checkpoint appends what changed instead of the whole state (README, read path); it does not help here, because this phase starts from an empty store: the state doubles several times during it and each doubling writes it whole again, and sections, being cheap, come every 5 s. In one profile each, checkpoints took ~5 % of the event loop before (self time of the whole writes) and ~7 % after (whole writes and sections, with what they call): no better in this phase, and single profiles are too noisy to say it is worse. SQLite's automatic checkpoint of its write-ahead log, which copies ~1 000 pages back and syncs the database file inside a commit every few hundred events, was moved to a worker thread on trial: the worker's copies never caught up with steady writes, so the log never started over (790 MB after 150 000 events), and finishing each copy on the event loop kept the sync there, the part that costs (commit p99 13 ms either way), so it was dropped.`,
  ],
  [
    'point-in-time query',
    (figure) => {
      const alone = figure.detail?.oneConnection as { p50Ms?: number; p99Ms?: number } | undefined;
      const rate = Number(figure.detail?.reqPerSecond);
      return `Under 8 connections the p99 is ${figure.value} ms here and ${figure.baseline?.value ?? '?'} ms for the same queries at the small history; the p50 ratio is ${figure.ratio ?? '?'}. With 8 connections waiting on one event loop, mean latency is 8 ÷ throughput (Little's law): ${(8000 / rate).toFixed(1)} ms at ${Math.round(rate)} answers/s before any tail. Over one connection, without a queue, the p50 is ${alone?.p50Ms ?? '?'} ms and the p99 ${alone?.p99Ms ?? '?'} ms: on 2026-12-05 that tail was the young-generation collections, 2–4 ms each at a million events (--trace-gc; perf put most of each in V8 walking every old-generation page), and under 8 connections each such pause also holds up the 8 answers queued behind it. On 2026-12-06 (perf, capacity load): about half of each 4 ms scavenge was that loop over the ~2 700 pages of a 680 MB heap, and the answers allocated ~130 KB each (heap sampling; the HTTP reply and Nest two thirds of it). Started with --single-threaded-gc (the load generator holds the other core, so parallel scavenging waits for it), three alternating pairs spent 750–840 ms instead of 962–1 168 ms in scavenges over the same load, p99 12–18 ms against 15–22 ms: inside this machine's noise for the p99, and a flag that would slow collection on a machine with cores to spare, so not adopted. Since 2026-12-06 a plant's and a company's folded states per date are kept on their timelines (README, read path): a capacity answer's computation went from about half of the server's busy time to about 40 %, and the server spent 24–27 % less CPU per capacity answer; what is left there waits on memory (the state objects of ~70 plants per answer), and the reply (JSON text 15 %, the socket write 10 %) and collections (10 %) take as much again. On 2026-12-07, sampling only what outlived a young collection showed each capacity answer leaving ~4 KB for them to copy into the old generation (an answer built as a literal starting with a spread, which Node 20 gives new hidden classes per call): built without it, the same load promoted 5 instead of 131 MB in 15 s, and the p99 at a million events was 7.0–7.5 ms in the next two runs (10.7 before).`;
    },
  ],
  [
    'projection rebuild',
    (figure) =>
      `A subscription that starts far behind has a worker thread read the log ahead, with SQLite building each 2 048-event page as one JSON text, so the main thread only parses one string a page and applies it (since 2026-12-05; a profiled rebuild went from 76 800 to 95 600 events/s). What stays on the main thread is the part that cannot move, because the state lives there: at ${figure.value} events/s that is about ${(1e6 / figure.value).toFixed(1)} µs an event, in the 2026-12-05 profile ~30 % applying facts (hash lookups in maps of 265 000 streams and sets of 250 000 plants), ~15 % indexing tags, ~20 % garbage collection promoting every parsed event (the state keeps them) and ~7 % parsing. Since 2026-12-07 a tag is a list its streams join once (their timelines remember the lists they are in) instead of a set: tagging went from ~17 % to ~8 % of a profiled rebuild, which was 0–16 % faster (about 7 % in the median) in seven alternating pairs. What is left: the lookup of each event's stream in a map of 265 000 (~12 %) and about 100 young-generation collections of ~21 ms each, which copy the ~7 MB of parsed events that survive each one (~23 %). The baseline reads the log on the main thread without the worker.`,
  ],
];

const whyMissed = (figure: Figure): string => NOTES.find(([prefix]) => figure.name.startsWith(prefix))?.[1](figure) ?? 'see the detail in latest.json.';

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
    for (const f of missed) lines.push(`- ${f.name}: ${whyMissed(f)}`);
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
