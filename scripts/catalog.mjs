// Writes dist/catalog.json after tsc: every tool's tools/list entries and the
// SDK's protocol versions, so a start serves them without loading zod or the SDK.
import { writeFileSync } from 'node:fs';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { buildCatalog } from '../dist/inventory/build-catalog.js';
import { CATALOG_FILE } from '../dist/inventory/catalog.js';
import { MODERN_PROTOCOL_VERSIONS } from '../dist/server/capabilities.js';
import { allTools } from '../dist/tools/index.js';

const catalog = buildCatalog(allTools, {
  latest: LATEST_PROTOCOL_VERSION,
  supported: [...SUPPORTED_PROTOCOL_VERSIONS],
  modern: [...MODERN_PROTOCOL_VERSIONS],
});
writeFileSync(new URL(`../dist/${CATALOG_FILE}`, import.meta.url), JSON.stringify(catalog));
