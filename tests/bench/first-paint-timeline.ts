/**
 * A map route's first paint as a timeline, side by side with the bare maplibre page (issue 17): the
 * app (one build, or two — `--ab=DIST` adds another build, e.g. main's, alternated with this
 * tree's) and the bare page, alternated in one browser, fresh context each time. Per milestone the
 * median ms since navigation: HTML, the JS and API responses (resource timing), the app's User
 * Timing marks (`dutymap:*`, src/client/perf-mark.ts; the bare page sets the same names), and what
 * a probe in the page counts until the map is idle: shader programs linked, frames drawn (WebGL
 * clears of the default framebuffer), glyphs drawn (2D fillText, TinySDF), draw calls.
 * A tool to read, not a benchmark:
 * `node --import tsx tests/bench/first-paint-timeline.ts [/plan|/lookup] [--phone] [--runs=5] [--ab=DIST,…] [--shots=DIR]`.
 */
import { buildClient, startAppServer } from '../e2e/app-server';
import { launchChromium } from '../e2e/browser';
import { serveBenchPages } from './client-bench';
import { browserCpu, browserCpuSince } from './process-cpu';
import type { Browser } from 'playwright-core';
import { loadavg } from 'node:os';

const path = process.argv.slice(2).find((a) => a.startsWith('/')) ?? '/plan';
const phone = process.argv.includes('--phone') || path === '/lookup';
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
/** `--ab=DIST[,DIST…]`: other builds (e.g. main's) alternated with this tree's, named app B, app C… */
const abDists = process.argv.find((a) => a.startsWith('--ab='))?.slice(5).split(',') ?? [];
/** `--shots=DIR`: a screenshot of each variant's first measured run at map idle, to look at. */
const shotsDir = process.argv.find((a) => a.startsWith('--shots='))?.slice(8);
const viewport = phone ? { width: 360, height: 740 } : { width: 1920, height: 1080 };

/** Installed before any page script: counts WebGL and 2D work until `window.__probeStop()`. */
const PROBE = () => {
  const probe = { programs: 0, frames: 0, draws: 0, glyphs: 0, firstDrawAt: null as number | null, stopped: false };
  (window as unknown as { __probe: typeof probe }).__probe = probe;
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    const link = proto.linkProgram;
    proto.linkProgram = function (this: WebGLRenderingContext, p: WebGLProgram) {
      if (!probe.stopped) probe.programs++;
      return link.call(this, p);
    };
    const clear = proto.clear;
    proto.clear = function (this: WebGLRenderingContext, mask: number) {
      // A frame starts by clearing the default framebuffer's colour.
      if (!probe.stopped && mask & this.COLOR_BUFFER_BIT && this.getParameter(this.FRAMEBUFFER_BINDING) === null) probe.frames++;
      return clear.call(this, mask);
    };
    const draw = proto.drawElements;
    proto.drawElements = function (this: WebGLRenderingContext, ...args: Parameters<WebGLRenderingContext['drawElements']>) {
      if (!probe.stopped) {
        probe.draws++;
        probe.firstDrawAt ??= performance.now();
      }
      return draw.apply(this, args);
    };
  }
  for (const proto of [CanvasRenderingContext2D.prototype, OffscreenCanvasRenderingContext2D.prototype] as CanvasRenderingContext2D[]) {
    const fill = proto.fillText;
    proto.fillText = function (this: CanvasRenderingContext2D, ...args: Parameters<CanvasRenderingContext2D['fillText']>) {
      if (!probe.stopped) probe.glyphs++;
      return fill.apply(this, args);
    };
  }
  (window as unknown as { __probeStop: () => void }).__probeStop = () => {
    probe.stopped = true;
  };
};

interface Run {
  readyMs: number;
  cpuMs: number;
  milestones: Record<string, number>;
}

async function once(browser: Browser, url: string, bare: boolean, shot?: string): Promise<Run> {
  const context = await browser.newContext({ viewport, ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}) });
  try {
    const page = await context.newPage();
    await page.addInitScript(PROBE);
    const before = browserCpu();
    await page.goto(url);
    if (bare) await page.waitForFunction(() => (window as unknown as { benchReadyAt?: number }).benchReadyAt !== undefined, null, { timeout: 120_000, polling: 20 });
    else await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 120_000 });
    const cpuMs = browserCpuSince(before);
    if (shot) await page.screenshot({ path: shot });
    const result = await page.evaluate((isBare) => {
      (window as unknown as { __probeStop: () => void }).__probeStop();
      const probe = (window as unknown as { __probe: Record<string, number | null> }).__probe;
      const readyMs = isBare ? (window as unknown as { benchReadyAt: number }).benchReadyAt : (window as unknown as { __dutymapMap: { readyAt: number } }).__dutymapMap.readyAt;
      const m: Record<string, number> = {};
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      m['html arrived'] = nav.responseEnd;
      m['DOMContentLoaded'] = nav.domContentLoadedEventEnd;
      for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
        if (e.startTime > readyMs) continue;
        const u = new URL(e.name);
        let name = u.pathname.replace(/^\/(assets\/)?/, '').replace(/-[\w-]{8}\.(m?js|css)$/, '.$1');
        if (u.pathname.startsWith('/api/')) name = u.pathname.slice(5) + u.search;
        m[`⇣ ${name}`] = e.responseEnd;
        // When the request left (after waiting for a connection): for the map's code and the grids.
        if (/^(district-map\.js|lookup-view\.js|plan-view\.js|layers\/grids|grids\.json|maplibre-gl\.js)$/.test(name)) m[`⇡ ${name}`] = e.requestStart;
      }
      for (const e of performance.getEntriesByType('mark')) if (e.name.startsWith('dutymap:') && !(e.name.slice(8) in m)) m[e.name.slice(8)] = e.startTime;
      m['first draw call'] = probe.firstDrawAt ?? NaN;
      m['#programs linked'] = probe.programs!;
      m['#frames'] = probe.frames!;
      m['#draw calls'] = probe.draws!;
      m['#glyphs (fillText)'] = probe.glyphs!;
      return { readyMs, m };
    }, bare);
    return { readyMs: result.readyMs, cpuMs, milestones: result.m };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const load0 = loadavg()[0];
const dist = await buildClient();
const variants: { name: string; url: string; stop: () => Promise<void> }[] = [];
const mine = await startAppServer(dist);
variants.push({ name: 'app', url: mine.url, stop: () => mine.stop() });
for (const [i, other] of abDists.entries()) {
  const server = await startAppServer(other);
  variants.push({ name: `app ${'BCDEF'[i]}`, url: server.url, stop: () => server.stop() });
}
const pages = await serveBenchPages(mine.url);
const browser = await launchChromium();
const results = new Map<string, Run[]>();
try {
  const district = (await (await fetch(`${mine.url}/api/district`)).json()) as { bbox: number[] };
  const bareUrl = `${pages.url}/bare-map.html?bounds=${district.bbox.join(',')}`;
  for (const v of variants) await once(browser, v.url + path, false); // warm-up
  await once(browser, bareUrl, true);
  for (let i = 0; i < runs; i++) {
    // Rotate the order each round so that no variant always follows the same one.
    const order = [...variants.map((v) => ({ name: v.name, url: v.url + path, bare: false })), { name: 'bare', url: bareUrl, bare: true }];
    for (let k = 0; k < i % order.length; k++) order.push(order.shift()!);
    for (const o of order) {
      const shot = shotsDir && i === 0 ? `${shotsDir}/${path.slice(1)}-${o.name.replace(/ /g, '-')}.png` : undefined;
      const run = await once(browser, o.url, o.bare, shot);
      results.set(o.name, [...(results.get(o.name) ?? []), run]);
      process.stderr.write(`${o.name} ${Math.round(run.readyMs)} ms (CPU ${run.cpuMs})\n`);
    }
  }
} finally {
  await browser.close();
  pages.close();
  for (const v of variants) await v.stop();
}

const names = [...results.keys()];
const keys = new Set<string>();
for (const list of results.values()) for (const r of list) for (const k of Object.keys(r.milestones)) keys.add(k);
const rows = [...keys].map((k) => ({ k, values: names.map((n) => median(results.get(n)!.map((r) => r.milestones[k] ?? NaN))) }));
rows.sort((a, b) => (a.k.startsWith('#') ? 1 : 0) - (b.k.startsWith('#') ? 1 : 0) || (median(a.values) || 0) - (median(b.values) || 0));
const fmt = (x: number) => (Number.isFinite(x) ? String(Math.round(x)).padStart(8) : '       –');
console.log(`${path} ${viewport.width}×${viewport.height}, ${runs} of each, medians (ms since navigation); load average ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}`);
console.log(`${'milestone'.padEnd(44)}${names.map((n) => n.padStart(8)).join('')}`);
for (const r of rows) console.log(`${r.k.slice(0, 43).padEnd(44)}${r.values.map(fmt).join('')}`);
const ready = names.map((n) => median(results.get(n)!.map((r) => r.readyMs)));
const cpu = names.map((n) => median(results.get(n)!.map((r) => r.cpuMs)));
console.log(`${'READY (map idle, every layer)'.padEnd(44)}${ready.map(fmt).join('')}`);
console.log(`${'CPU of the browser (ms)'.padEnd(44)}${cpu.map(fmt).join('')}`);
const bareIdx = names.indexOf('bare');
for (const n of names.filter((x) => x !== 'bare')) {
  const i = names.indexOf(n);
  console.log(`${n}/bare: ${(ready[i] / ready[bareIdx]).toFixed(2)}× (CPU ${(cpu[i] / cpu[bareIdx]).toFixed(2)}×); runs ${results.get(n)!.map((r) => Math.round(r.readyMs)).join(', ')}`);
}
console.log(`bare runs ${results.get('bare')!.map((r) => Math.round(r.readyMs)).join(', ')}`);
