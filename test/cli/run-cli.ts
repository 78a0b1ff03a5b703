import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  WEEKLY,
  announcementBody,
  commissioningBody,
  companyBody,
  constructionStartBody,
  financingRoundBody,
  milestoneBody,
  standardBody,
  tariffMeasureBody,
} from '../support/seed-bodies';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI as `npm run cli` does, in a child process: the CLI loads the API's write path, which pulls
 * in Nest 12 (ES modules jest cannot load). Asynchronous on purpose: an EventStoreDB emulator in this jest
 * process must keep answering while the CLI talks to it.
 */
export const runCli = (args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'reflect-metadata', '-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

export const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'bsc-cli-'));

/** The stored event as export writes it. */
export interface ExportedEvent {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

export const parseNdjson = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

/**
 * Seed facts as `/v1/batch` items, one per line: a company with a plant announced, under construction and
 * commissioned, a financing round, a standard, a tariff measure and a milestone.
 */
export const seedItems = (suffix: string): Record<string, unknown>[] => {
  const companyId = `xinjie-energy-${suffix}`;
  const plantId = `xinjie-energy-line-${suffix}`;
  return [
    { kind: 'company', ...companyBody(companyId) },
    { kind: 'capacity-announcement', ...announcementBody(plantId, companyId) },
    { kind: 'construction-start', plantId, ...constructionStartBody() },
    { kind: 'commissioning', plantId, ...commissioningBody() },
    { kind: 'financing-round', ...financingRoundBody(`xinjie-strategic-${suffix}`, companyId) },
    { kind: 'standard', ...standardBody(`miit-solid-state-${suffix}`) },
    { kind: 'tariff-measure', ...tariffMeasureBody(`eu-cvd-bev-${suffix}`) },
    { kind: 'technology-milestone', ...milestoneBody(`sodium-ion-cell-${suffix}`, companyId) },
  ];
};

/** A commissioning that refers to no plant and has no date: the kind of line an import must refuse. */
export const badItem = { kind: 'commissioning', plantId: 'Not A Slug', capacityGwh: 2, source: WEEKLY };

export const writeNdjson = (file: string, items: readonly unknown[]): void => {
  fs.writeFileSync(file, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
};
