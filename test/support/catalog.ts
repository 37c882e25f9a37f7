// Reads the built catalog (dist/catalog.json) the way the server does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/inventory/catalog.js';

export function loadCatalogFrom(dir: string): Catalog {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../${dir}/catalog.json`, import.meta.url)), 'utf8'),
  ) as Catalog;
}
