import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { GENESIS_HASH, sealEvent } from '@bsc/audit';
import { SqliteEventStore } from '@bsc/event-store/adapters/sqlite/sqlite-event-store';
import { seededRandom } from '../support/seeded-random';

/**
 * A deterministic history (seeded PRNG): thousands of companies, tens of thousands of plants, tariffs,
 * standards, routes, milestones, financing rounds and corrections, hash-chained with the metadata the
 * write path seals. Written straight into a SQLite data directory (far faster than through HTTP) once,
 * then reused: a `complete.json` marker says the directory is whole.
 */
export const BENCH_DATA_ROOT = path.resolve(__dirname, '.data');

export interface GeneratedHistory {
  dataDir: string;
  events: number;
  companies: string[];
  routes: string[];
  tariffQueries: { importer: string; origin: string; product: string }[];
}

const ROUTES = ['semi-solid', 'solid-state-oxide', 'solid-state-sulphide', 'solid-state-polymer', 'sodium-ion', 'lfp', 'nmc'];
const COUNTRIES = ['CN', 'US', 'DE', 'HU', 'KR', 'JP', 'FR', 'PL', 'ES', 'ID', 'MA', 'MX', 'TH', 'IN', 'SE'];
const IMPORTERS = ['EU', 'US', 'IN', 'TR', 'BR', 'CA'];
const PRODUCTS = ['ev-battery', 'ess-battery', 'consumer-battery', 'battery-materials', 'bev', 'phev'];
const STAGES = ['drafting', 'public-comment', 'approved', 'published', 'in-force'];
const SOURCE = { publisher: 'Bench generator', title: 'Synthetic weekly', publishedOn: '2026-01-02' };
const RECORDED_BY = 'bench-integrator';
const START_MS = Date.parse('2020-01-01T00:00:00.000Z');

const day = (offset: number): string => new Date(Date.UTC(2018, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);

interface PlantTrack {
  id: string;
  stage: number;
  announcedEventId: string;
  lastDay: number;
}

export const historyInfo = (events: number): GeneratedHistory => {
  const companies = Math.max(20, Math.round(events / 250));
  return {
    dataDir: path.join(BENCH_DATA_ROOT, `history-${events}`),
    events,
    companies: Array.from({ length: companies }, (_, i) => `company-${i}`),
    routes: ROUTES,
    tariffQueries: IMPORTERS.flatMap((importer) => PRODUCTS.map((product) => ({ importer, origin: 'CN', product }))),
  };
};

/** Builds the history when missing (or left incomplete by an interrupted run); returns where it is. */
export const ensureHistory = (events: number, log: (line: string) => void = () => undefined): GeneratedHistory => {
  const info = historyInfo(events);
  const marker = path.join(info.dataDir, 'complete.json');
  if (fs.existsSync(marker)) return info;
  fs.rmSync(info.dataDir, { recursive: true, force: true });
  fs.mkdirSync(info.dataDir, { recursive: true });
  const started = Date.now();
  const file = path.join(info.dataDir, 'events.db');
  // The store creates the schema and stamps the file as ours; the bulk load then bypasses group commit.
  void SqliteEventStore.open(file).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const random = seededRandom(events);
  const tails = new Map<string, { revision: number; hash: string }>();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  let position = 0;
  let eventCounter = 0;
  const rows: unknown[][] = [];
  const flush = db.transaction((batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  });

  const emit = (streamId: string, type: string, data: Record<string, unknown>): string => {
    position += 1;
    eventCounter += 1;
    const tail = tails.get(streamId);
    const revision = tail ? tail.revision + 1 : 0;
    const eventId = deterministicUuid(events, eventCounter);
    const recordedAt = new Date(START_MS + position * 60_000).toISOString();
    const metadata = sealEvent({
      eventId,
      streamId,
      type,
      data,
      metadata: {
        schemaVersion: 1,
        recordedAt,
        recordedBy: RECORDED_BY,
        source: SOURCE,
        correlationId: eventId,
        causationId: eventId,
        prevHash: tail ? tail.hash : GENESIS_HASH,
      },
    });
    tails.set(streamId, { revision, hash: metadata.hash });
    rows.push([streamId, revision, eventId, type, JSON.stringify(data), JSON.stringify(metadata), recordedAt]);
    if (rows.length >= 10_000) {
      flush(rows.splice(0));
      if (position % 100_000 === 0) log(`  generated ${position}/${events} events`);
    }
    return eventId;
  };

  for (const companyId of info.companies) {
    emit(`company-${companyId}`, 'CompanyRegistered', { companyId, name: `Company ${companyId}`, headquartersCountry: pick(COUNTRIES), aliases: [], segments: ['ev'] });
  }
  const tariffs: { id: string; day: number }[] = [];
  IMPORTERS.forEach((importer, i) => {
    for (let k = 0; k < 4; k += 1) {
      const id = `tariff-${importer.toLowerCase()}-${k}`;
      const from = 200 + i * 30 + k * 90;
      emit(`tariff-${id}`, 'TariffMeasureImposed', {
        measureId: id,
        importer,
        origin: 'CN',
        products: PRODUCTS.filter((_, p) => (p + k) % 2 === 0),
        measureType: 'countervailing',
        ratePercent: 5 + k * 7.5,
        effectiveFrom: day(from),
        announcedOn: day(from - 10),
      });
      tariffs.push({ id, day: from });
    }
  });
  const standards: { id: string; stage: number; day: number }[] = [];
  const plants: PlantTrack[] = [];
  let plantCounter = 0;
  let milestoneCounter = 0;
  let roundCounter = 0;

  while (position < events) {
    const roll = random();
    if (plants.length < 20 || roll < 0.25) {
      const id = `plant-${plantCounter++}`;
      const announcedDay = Math.floor(random() * 2500);
      const announcedEventId = emit(`plant-${id}`, 'CapacityAnnounced', {
        plantId: id,
        companyId: pick(info.companies),
        country: pick(COUNTRIES),
        technologyRoute: pick(ROUTES),
        plannedCapacityGwh: 1 + Math.floor(random() * 400) / 10,
        announcedOn: day(announcedDay),
        status: 'announced',
        partners: [],
      });
      plants.push({ id, stage: 0, announcedEventId, lastDay: announcedDay });
    } else if (roll < 0.7) {
      const plant = pick(plants);
      plant.lastDay += 1 + Math.floor(random() * 60);
      const streamId = `plant-${plant.id}`;
      if (plant.stage === 0) {
        emit(streamId, 'PlantConstructionStarted', { plantId: plant.id, startedOn: day(plant.lastDay) });
        plant.stage = 1;
      } else if (plant.stage === 1) {
        emit(streamId, 'PlantCommissioned', { plantId: plant.id, commissionedOn: day(plant.lastDay), capacityGwh: 1 + Math.floor(random() * 200) / 10 });
        plant.stage = 2;
      } else if (random() < 0.85) {
        emit(streamId, 'PlantCapacityRevised', { plantId: plant.id, plannedCapacityGwh: 1 + Math.floor(random() * 600) / 10, revisedOn: day(plant.lastDay), reason: 'expansion' });
      } else {
        emit(streamId, 'PlantCommissioned', { plantId: plant.id, commissionedOn: day(plant.lastDay), capacityGwh: 1 + Math.floor(random() * 100) / 10, phase: 'next phase' });
      }
    } else if (roll < 0.78) {
      const plant = pick(plants);
      emit(`plant-${plant.id}`, 'FactCorrected', {
        eventId: plant.announcedEventId,
        correctedType: 'CapacityAnnounced',
        changes: { plannedCapacityGwh: 1 + Math.floor(random() * 300) / 10 },
        reason: 'The source revised the figure.',
      });
    } else if (roll < 0.86) {
      const companyId = pick(info.companies);
      emit(`company-${companyId}`, 'FinancingRoundClosed', {
        companyId,
        roundId: `round-${roundCounter++}`,
        roundType: 'b',
        amount: { value: 1_000_000 + Math.floor(random() * 1e9), currency: 'CNY', qualifier: 'about' },
        closedOn: day(Math.floor(random() * 2800)),
        investors: [],
        technologyRoutes: [pick(ROUTES)],
      });
    } else if (roll < 0.93) {
      const technologyRoute = pick(ROUTES);
      emit(`route-${technologyRoute}`, 'TechnologyMilestoneReached', {
        milestoneId: `milestone-${milestoneCounter++}`,
        technologyRoute,
        stage: pick(['lab', 'pilot', 'engineering-samples', 'mass-production']),
        achievedOn: day(Math.floor(random() * 2800)),
        description: 'Synthetic milestone',
        companyId: pick(info.companies),
        metrics: [{ name: 'energy-density', value: 200 + Math.floor(random() * 300), unit: 'Wh/kg' }],
      });
    } else if (roll < 0.97 || standards.length === 0) {
      if (standards.length < 2000 || random() < 0.2) {
        const id = `standard-${standards.length}`;
        const on = Math.floor(random() * 2000);
        emit(`standard-${id}`, 'StandardRegistered', {
          standardId: id,
          title: `Standard ${id}`,
          issuer: 'MIIT',
          jurisdiction: pick(['CN', 'EU', 'US']),
          technologyRoutes: [pick(ROUTES)],
          requirements: [],
          stage: 'drafting',
          on: day(on),
        });
        standards.push({ id, stage: 0, day: on });
      } else {
        const standard = pick(standards);
        if (standard.stage < STAGES.length - 1) {
          standard.stage += 1;
          standard.day += 30 + Math.floor(random() * 200);
          emit(`standard-${standard.id}`, 'StandardStageChanged', { standardId: standard.id, stage: STAGES[standard.stage], on: day(standard.day) });
        }
      }
    } else {
      const tariff = pick(tariffs);
      tariff.day += 30 + Math.floor(random() * 120);
      emit(`tariff-${tariff.id}`, 'TariffRateChanged', { measureId: tariff.id, ratePercent: Math.floor(random() * 1000) / 10, effectiveFrom: day(tariff.day) });
    }
  }
  flush(rows.splice(0));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  fs.writeFileSync(marker, JSON.stringify({ events: position, plants: plants.length, standards: standards.length, seconds: (Date.now() - started) / 1000 }));
  log(`  generated ${position} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return info;
};

const deterministicUuid = (seed: number, n: number): string => {
  const hex = (seed.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0')).slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
};
