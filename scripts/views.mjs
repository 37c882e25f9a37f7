// Builds the MCP App view (src/views) into one self-contained HTML file,
// dist/views/app.html: the script and the styles inlined, nothing fetched.
// Run by `npm run build` after the type check of src/views (tsc -p src/views).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The budget for the view file (BENCHMARKS.md). */
const MAX_BYTES = 150 * 1024;
const src = new URL('../src/views/', import.meta.url);
const out = new URL('../dist/views/app.html', import.meta.url);

const result = await build({
  entryPoints: [new URL('main.ts', src).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
});
const js = result.outputFiles[0].text;
// Inlined into <script>: a closing tag inside the code would end it early.
if (/<\/script/i.test(js))
  throw new Error('views: the bundle contains "</script"; it cannot be inlined');
const css = readFileSync(new URL('style.css', src), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .replace(/\s*\n\s*/g, '');
const template = readFileSync(new URL('app.html', src), 'utf8');
const html = template.replace('/*STYLE*/', () => css).replace('/*SCRIPT*/', () => js.trim());
const bytes = Buffer.byteLength(html);
if (bytes > MAX_BYTES)
  throw new Error(`views: app.html is ${bytes} bytes, over the ${MAX_BYTES}-byte budget`);
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, html);
if (process.argv.includes('--size')) {
  console.log(JSON.stringify({ bytes, gzip: gzipSync(html, { level: 9 }).length }));
}
