// Headless Chromium (Debian's chromium package, /usr/bin/chromium) through
// playwright-core, with a fresh profile per launch and nothing that phones
// home. .ci/run installs the package when it is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(
  viewport = { width: 430, height: 1000 },
): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'view-test-profile-'));
  // launchPersistentContext is how playwright takes an explicit --user-data-dir (fresh here).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Share of pixels that differ by more than `threshold` (0-255, any channel)
 * between two PNGs; where the sizes differ, the pixels only one of them has
 * count as differing. Decoded and compared by the browser itself, so no
 * image library is needed.
 */
export async function pngDifference(
  context: BrowserContext,
  a: Buffer,
  b: Buffer,
  threshold = 40,
): Promise<number> {
  const page = await context.newPage();
  try {
    return await page.evaluate(
      async ({ a, b, threshold }) => {
        // Browser globals, reached through globalThis: the tests are type-checked without the DOM library.
        const g = globalThis as any;
        const load = async (b64: string) =>
          g.createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const [ia, ib] = await Promise.all([load(a), load(b)]);
        const w = Math.min(ia.width, ib.width);
        const h = Math.min(ia.height, ib.height);
        const all = Math.max(ia.width, ib.width) * Math.max(ia.height, ib.height);
        const pixels = (img: unknown): Uint8ClampedArray => {
          const canvas = new g.OffscreenCanvas(w, h);
          const ctx = canvas.getContext('2d')!;
          ctx.drawImage(img, 0, 0);
          return ctx.getImageData(0, 0, w, h).data;
        };
        const pa = pixels(ia);
        const pb = pixels(ib);
        let differing = all - w * h;
        for (let i = 0; i < pa.length; i += 4) {
          const d = Math.max(
            Math.abs(pa[i]! - pb[i]!),
            Math.abs(pa[i + 1]! - pb[i + 1]!),
            Math.abs(pa[i + 2]! - pb[i + 2]!),
          );
          if (d > threshold) differing++;
        }
        return differing / all;
      },
      { a: a.toString('base64'), b: b.toString('base64'), threshold },
    );
  } finally {
    await page.close();
  }
}
