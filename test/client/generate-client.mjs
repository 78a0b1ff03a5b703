// Runs outside jest: swagger-typescript-api and its dependencies are ES modules, which jest on Node 20
// cannot load. Usage: node generate-client.mjs <openapi.json> <output dir>; writes <output dir>/Api.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateApi } from 'swagger-typescript-api';

const [specFile, output] = process.argv.slice(2);
await generateApi({
  spec: JSON.parse(readFileSync(specFile, 'utf8')),
  output: path.resolve(output),
  fileName: 'Api.ts',
  httpClientType: 'fetch',
  silent: true,
});
