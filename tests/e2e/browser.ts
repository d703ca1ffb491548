import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (DEVELOPERS.md): playwright-core drives it, no browser download. */
export const CHROMIUM_PATH = process.env.DUTYMAP_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for headless chromium in a container: software WebGL, nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Whether the browser is installed (e2e tests skip with a clear reason when it is not). */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * Launches headless chromium (about 0.5 s; one per test file). Sharing one browser between the
 * files' worker processes (launchServer + connect) was measured and does not pay: connecting
 * took 0.6–0.9 s, as long as a launch.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Problems a page reported: console errors, uncaught exceptions, failed or off-site requests. */
export interface PageProblems {
  errors: string[];
  /** Console warnings (maplibre reports a style it cannot fully draw as a warning, not an error). */
  warnings: string[];
  /** Requests to any host but the app's own: the app must work with no internet. */
  external: string[];
}

/**
 * Collects console errors and uncaught exceptions of `page`, and blocks (and records) every
 * request that leaves `origin`, which proves the app needs no internet.
 */
export async function watchPage(page: Page, origin: string): Promise<PageProblems> {
  const problems: PageProblems = { errors: [], warnings: [], external: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(message.text());
    if (message.type() === 'warning') problems.warnings.push(message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(String(error)));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    problems.external.push(url);
    return route.abort();
  });
  return problems;
}

/** Waits until the shared map has drawn every layer (DistrictMap sets data-map-ready). */
export async function waitForMap(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { timeout, state: 'attached' });
}
