// Nest 12 packages are ESM only and Jest on Node 20 cannot require them; OpenAPI metadata plays no part in validation.
jest.mock('@nestjs/swagger', () => ({ ApiProperty: () => () => undefined, ApiPropertyOptional: () => () => undefined }));

import { validateBatchItem } from '../ingest/request-kinds';
import { DemoLine, readDemoEvents } from './demo-events';

/** The five articles of shared/domain/seeds, as every demo item must cite them. */
const ARTICLES = [
  { publisher: 'SMM', title: 'White Paper on Motive Battery Development Action: Specific Energy Cost of Liquid Batteries Will Drop By 2025', publishedOn: '2023-04-28' },
  { publisher: 'Dialogue Earth', title: 'Where does China stand in the global race for alternative EV batteries?', publishedOn: '2024-07-01' },
  { publisher: 'Mining News', title: "Promoting quality and innovation: China's push for technological advancement in electric car battery manufacturing", publishedOn: '2024-09-09' },
  { publisher: 'SMM', title: "CLNB 2025: current status and trends of China's lithium-ion battery industry", publishedOn: '2025-04-09' },
  { publisher: 'SMM', title: 'Solid-state battery weekly review, December 26-31, 2025', publishedOn: '2026-01-02' },
];

type Item = Record<string, unknown> & { kind: string; source: Record<string, unknown> };

describe('the demo data set (apps/api/src/demo/demo-events.ndjson)', () => {
  const lines: DemoLine[] = readDemoEvents();
  const items = lines.flatMap((line) => ('item' in line ? [{ line: line.line, item: line.item as Item }] : []));

  it('is NDJSON: every line is one JSON object', () => {
    expect(lines.filter((line) => 'error' in line)).toEqual([]);
    expect(items.length).toBeGreaterThanOrEqual(60);
  });

  it('passes the API validation line by line (validateBatchItem, as /v1/batch does)', async () => {
    const refused: { line: number; errors: unknown }[] = [];
    for (const { line, item } of items) {
      const validated = await validateBatchItem(item);
      if (!validated.ok) refused.push({ line, errors: validated.errors });
    }
    expect(refused).toEqual([]);
  });

  it('cites one of the five articles on every line: publisher, title and publication date', () => {
    const uncited = items.filter(({ item }) => {
      const { publisher, title, publishedOn } = item.source ?? {};
      return !ARTICLES.some((article) => article.publisher === publisher && article.title === title && article.publishedOn === publishedOn);
    });
    expect(uncited.map(({ line }) => line)).toEqual([]);
    const cited = new Set(items.map(({ item }) => item.source.title));
    expect([...cited].sort()).toEqual(ARTICLES.map((article) => article.title).sort());
  });

  it('is in dependency order: companies, plants, standards, measures and routes before what refers to them', () => {
    const seen = { companyId: new Set<string>(), plantId: new Set<string>(), standardId: new Set<string>(), measureId: new Set<string>(), routeId: new Set<string>() };
    const definedBy: Record<string, keyof typeof seen> = { company: 'companyId', 'capacity-announcement': 'plantId', standard: 'standardId', 'tariff-measure': 'measureId', 'technology-route': 'routeId' };
    const problems: string[] = [];
    for (const { line, item } of items) {
      const defines = definedBy[item.kind];
      for (const key of Object.keys(seen) as (keyof typeof seen)[]) {
        const id = item[key];
        if (typeof id !== 'string' || key === defines) continue;
        if (!seen[key].has(id)) problems.push(`line ${line}: ${key} ${id} is used before it is defined`);
      }
      if (typeof item.technologyRoute === 'string' && item.technologyRoute === 'solid-state-unspecified' && !seen.routeId.has(item.technologyRoute)) {
        problems.push(`line ${line}: route ${item.technologyRoute} is used before it is registered`);
      }
      if (defines) {
        const id = item[defines] as string;
        if (seen[defines].has(id)) problems.push(`line ${line}: ${defines} ${id} is defined twice`);
        seen[defines].add(id);
      }
    }
    expect(problems).toEqual([]);
  });

  it('holds every kind of fact the articles give', () => {
    const kinds = new Set(items.map(({ item }) => item.kind));
    for (const kind of ['company', 'capacity-announcement', 'construction-start', 'commissioning', 'financing-round', 'standard', 'standard-stage', 'tariff-measure', 'tariff-rate-change', 'technology-milestone']) {
      expect(kinds).toContain(kind);
    }
  });

  it('records the US and EU duties as components that add up to the reported totals', () => {
    const measures = items.filter(({ item }) => item.kind === 'tariff-measure').map(({ item }) => item);
    const sum = (importer: string, product: string) =>
      measures.filter((m) => m.importer === importer && (m.products as string[]).includes(product)).reduce((total, m) => total + (m.ratePercent as number), 0);
    expect(sum('US', 'ev-battery')).toBeCloseTo(82.4);
    expect(sum('US', 'ess-battery')).toBeCloseTo(57.4);
    expect(sum('EU', 'bev')).toBeCloseTo(45.3);
  });
});
