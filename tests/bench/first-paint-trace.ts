/**
 * Where a map route's first paint goes (issue 17): opens a route in headless chromium with a
 * Chromium performance trace (CDP Tracing) until the map is idle with every layer, and prints the
 * CPU per thread (renderer main, maplibre's workers, compositor/GPU) and, on the main thread, the
 * JS self time per script and per function (from the trace's V8 samples). A tool to read, not a
 * benchmark: `node --import tsx tests/bench/first-paint-trace.ts [/plan] [--phone] [--data=DIR]`.
 */
import { writeFileSync } from 'node:fs';
import { buildClient, startAppServer } from '../e2e/app-server';
import { startServer } from '../helpers/api-server';
import { launchChromium } from '../e2e/browser';

interface TraceEvent { ph: string; name: string; cat: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: Record<string, any>; id?: string }

const path = process.argv.slice(2).find((a) => a.startsWith('/')) ?? '/plan';
const phone = process.argv.includes('--phone');
const viewport = phone ? { width: 360, height: 740 } : { width: 1920, height: 1080 };

const dist = await buildClient();
const dataDir = process.argv.find((a) => a.startsWith('--data='))?.slice('--data='.length);
// --data=DIR: a district of one's own (e.g. `dutymap generate --scale 10`) instead of the demo.
const server = dataDir ? await startServer({ dataDir, env: { DUTYMAP_DIST: dist } }) : await startAppServer(dist);
const browser = await launchChromium();
try {
  // warm-up (server caches), as the bench does
  for (let i = 0; i < 2; i++) {
    const context = await browser.newContext({ viewport, ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 1 } : {}) });
    const page = await context.newPage();
    if (i === 1) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'toplevel', 'blink.user_timing', 'gpu', 'disabled-by-default-devtools.timeline.frame'] });
    await page.goto(server.url + path);
    await page.waitForSelector('.district-map-canvas[data-map-ready="true"]', { state: 'attached', timeout: 300_000 });
    const stats = await page.evaluate(() => { const s = (window as any).__dutymapMap; return { readyAt: s.readyAt, zonesAt: s.zonesAt }; });
    if (i === 1) {
      const buffer = await browser.stopTracing();
      writeFileSync('/tmp/e17-trace.json', buffer);
      summarise(JSON.parse(buffer.toString()).traceEvents as TraceEvent[], stats);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}

function summarise(events: TraceEvent[], stats: { readyAt: number; zonesAt: number }) {
  const threadNames = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args!.name);
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame && e.args?.data?.documentLoaderURL?.startsWith('http'));
  const t0 = nav?.ts ?? Math.min(...events.filter((e) => e.ts).map((e) => e.ts));
  const tEnd = t0 + stats.readyAt * 1000;
  console.log(`readyAt ${Math.round(stats.readyAt)} ms, zonesAt ${Math.round(stats.zonesAt)} ms`);
  // CPU per thread: top-level tasks, thread time where known
  const perThread = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || !(e.cat.includes('toplevel'))) continue;
    if (e.ts < t0 || e.ts > tEnd) continue;
    const key = `${e.pid}:${e.tid}`;
    perThread.set(key, (perThread.get(key) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000);
  }
  console.log('\nCPU per thread (top-level tasks, ms, navigation → ready):');
  for (const [key, ms] of [...perThread].sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${(threadNames.get(key) ?? key).padEnd(36)} ${Math.round(ms)}`);
  const mainKey = [...perThread.keys()].find((k) => threadNames.get(k) === 'CrRendererMain' && events.some((e) => `${e.pid}:${e.tid}` === k && e.name === 'navigationStart'));
  // Main thread: main event kinds (self time would need nesting; show totals of non-overlapping kinds)
  const kinds = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || `${e.pid}:${e.tid}` !== mainKey || e.ts < t0 || e.ts > tEnd) continue;
    if (['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'Layout', 'UpdateLayoutTree', 'Paint', 'ParseHTML', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'GCEvent', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'RunMicrotasks', 'v8.run', 'ParseAuthorStyleSheet', 'PrePaint', 'Layerize', 'Commit', 'HitTest', 'XHRReadyStateChange', 'ResourceReceivedData'].includes(e.name))
      kinds.set(e.name, (kinds.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  console.log('\nmain thread event totals (ms; nested kinds overlap):');
  for (const [k, ms] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(28)} ${Math.round(ms)}`);
  // V8 samples of the main thread's isolate
  const profiles = new Map<string, { nodes: Map<number, any>; samples: number[]; deltas: number[]; pid: number; tid: number; start: number }>();
  for (const e of events) {
    if (e.name === 'Profile') profiles.set(`${e.pid}:${e.id}`, { nodes: new Map(), samples: [], deltas: [], pid: e.pid, tid: e.tid, start: e.args!.data.startTime });
    if (e.name === 'ProfileChunk') {
      const p = profiles.get(`${e.pid}:${e.id}`);
      if (!p) continue;
      const data = e.args!.data;
      for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
      p.samples.push(...(data.cpuProfile?.samples ?? []));
      p.deltas.push(...(data.timeDeltas ?? []));
    }
  }
  for (const [key, p] of profiles) {
    const label = threadNames.get(`${p.pid}:${p.tid}`) ?? key;
    const byFn = new Map<string, number>();
    const byUrl = new Map<string, number>();
    let t = p.start;
    let total = 0;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.deltas[i] ?? 0;
      const dt = (p.deltas[i + 1] ?? 0) / 1000;
      if (t < t0 || t > tEnd) continue;
      const n = p.nodes.get(p.samples[i]);
      if (!n) continue;
      const cf = n.callFrame;
      if (cf.functionName === '(idle)') continue;
      const url = (cf.url || cf.functionName || '?').replace(/^.*\//, '');
      const fn = `${cf.functionName || '(anon)'} ${url}:${cf.lineNumber}:${cf.columnNumber}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + dt);
      byUrl.set(url, (byUrl.get(url) ?? 0) + dt);
      total += dt;
    }
    if (total < 50) continue;
    console.log(`\nV8 samples on ${label} (${key}): ${Math.round(total)} ms non-idle`);
    console.log('  by script:');
    for (const [u, ms] of [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${u.slice(0, 60).padEnd(60)} ${Math.round(ms)}`);
    console.log('  by function (self):');
    for (const [f, ms] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${f.slice(0, 90).padEnd(90)} ${Math.round(ms)}`);
  }
}
