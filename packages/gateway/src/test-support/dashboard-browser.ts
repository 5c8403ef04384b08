import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the dashboard test keeps its screenshots (gitignored, kept by CI as artifacts). */
export const DASHBOARD_ARTIFACTS = resolve(import.meta.dirname, '../../../../test-artifacts/dashboard');

/** What the page exposes as `window.dashboard`: its charts' series and data. */
export interface ChartReading {
  labels: string[];
  data: Array<Array<number | null>>;
}

/** Headless Chromium (Debian's, through playwright-core: no browser download), fresh profile. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run ./run.sh install or set CHROMIUM_PATH`);
  mkdirSync(DASHBOARD_ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}

/** Signs in on the page with the admin key and waits for the live stream. */
export async function signIn(page: Page, url: string, adminKey: string): Promise<void> {
  await page.goto(`${url}/dashboard`);
  await page.fill('#admin-key', adminKey);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#board:not([hidden])');
  await page.waitForSelector('#live[data-state=live]');
}

/** Each chart's series names and data, read from uPlot through the page. */
export function readCharts(page: Page): Promise<Record<string, ChartReading>> {
  return page.evaluate(() => {
    const { charts } = (window as unknown as { dashboard: { charts: Record<string, Readable> } }).dashboard;
    interface Readable {
      labels(): string[];
      data(): Array<Array<number | null>>;
    }
    return Object.fromEntries(
      Object.entries(charts).map(([name, chart]) => [name, { labels: chart.labels(), data: chart.data() }]),
    );
  });
}

/** How many pixels of each chart canvas are painted (not transparent). */
export function paintedPixels(page: Page): Promise<number[]> {
  return page.$$eval('.chart canvas', (canvases) =>
    canvases.map((canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d');
      const pixels = context?.getImageData(0, 0, canvas.clientWidth, canvas.clientHeight).data ?? [];
      let painted = 0;
      for (let alpha = 3; alpha < pixels.length; alpha += 4) if (pixels[alpha]) painted++;
      return painted;
    }),
  );
}

/** A port nothing listens on (a provider that refuses connections). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  return typeof address === 'object' && address ? address.port : 9;
}

/** The sum of a series, nulls as 0. */
export function total(values: Array<number | null> | undefined): number {
  return (values ?? []).reduce<number>((sum, value) => sum + (value ?? 0), 0);
}
