/**
 * Preloaded into the server by ledger-tails.ts (`node --import`): when each request reached the
 * HTTP server (its 'request' event) and when its response finished, keyed by the bench's x-id
 * header, and every GC pause; written as JSON to $TIMING_OUT when the process exits.
 */
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const now = () => performance.timeOrigin + performance.now();
const requests = [];
const gcs = [];
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request') {
    const arrived = now();
    const id = req.headers['x-id'];
    res.on('finish', () => requests.push([id, arrived, now()]));
  }
  return emit.apply(this, arguments);
};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push([performance.timeOrigin + e.startTime, e.duration, e.detail?.kind ?? 0]);
}).observe({ entryTypes: ['gc'] });
process.on('exit', () => writeFileSync(process.env.TIMING_OUT, JSON.stringify({ requests, gcs })));
