/**
 * Headless chromium driven over the raw DevTools protocol (`--remote-debugging-pipe`), for
 * measurements that Playwright's own protocol traffic would distort.
 *
 * Why not Playwright for the soak: playwright-core sends `Network.enable` on every page session it
 * attaches to (it needs it for `page.on('response')`, routing and `waitForResponse`), and while a
 * DevTools client has the Network domain on, Blink keeps a copy of every response body for it
 * (`NetworkResourcesData`, up to its buffer limits). On a page that polls every two seconds that
 * copy grows for hours and shows up in the page's heap: the instrument, not the page. Here the
 * page session enables only what the soak reads — Runtime (exceptions, console errors), Performance
 * (heap, listeners, DOM nodes) and HeapProfiler (forced GC, snapshots) — and never Network.
 *
 * The pipe is chromium's fd 3 (we write) and fd 4 (it writes), one JSON message per NUL byte.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { tempFolder } from '../helpers/api-server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/browser';

type Params = Record<string, unknown>;
type Listener = (params: never) => void;

/** What heap-snapshot.ts and the soak need of a DevTools session (Playwright's CDPSession fits too). */
export interface ProtocolSession {
  send(method: string, params?: Params): Promise<unknown>;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

/** A page target attached with a flat session of its own. */
export interface PipePage extends ProtocolSession {
  /** Evaluates `expression` in the page and returns its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` every 250 ms until it is truthy; throws after `timeoutMs`. */
  waitFor(expression: string, timeoutMs: number): Promise<void>;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export interface PipeBrowser {
  /** Opens `url` in a new tab of `width`×`height` CSS pixels and returns its session. */
  newPage(url: string, viewport: { width: number; height: number }): Promise<PipePage>;
  /** The browser process id (for `ps` and CPU accounting). */
  pid: number | undefined;
  close(): Promise<void>;
}

/** Flags Playwright adds so that a page nobody looks at is not throttled or frozen. */
const UNTHROTTLED = ['--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows', '--disable-renderer-backgrounding', '--disable-ipc-flooding-protection'];

/**
 * Launches headless chromium with the e2e flags and a DevTools pipe; `jsFlags` go to V8 (e.g.
 * `--max-opt=0`: interpreter only, the soak's control for how much of a growth is compiled code).
 */
export async function launchChromiumPipe(options: { jsFlags?: string; /** File for chromium's stdout (V8's --trace-opt/--trace-deopt print there). */ stdoutFile?: string } = {}): Promise<PipeBrowser> {
  const profile = tempFolder('dutymap-chromium-');
  const stdout = options.stdoutFile ? openSync(options.stdoutFile, 'a') : 'ignore';
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [...CHROMIUM_ARGS, ...UNTHROTTLED, '--headless', '--remote-debugging-pipe', '--no-startup-window', `--user-data-dir=${profile}`, ...(options.jsFlags ? [`--js-flags=${options.jsFlags}`] : []), 'about:blank'],
    { stdio: ['ignore', stdout, 'pipe', 'pipe', 'pipe'] },
  );
  if (typeof stdout === 'number') closeSync(stdout); // the child has its own copy
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderrTail = '';
  (child.stdio[2] as Readable).on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-4000)));

  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string }>();
  const listeners = new Map<string, Set<Listener>>(); // key: `${sessionId}|${event}`
  let buffered = '';
  fromBrowser.setEncoding('utf8');
  fromBrowser.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
      const message = JSON.parse(buffered.slice(0, end)) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string }; sessionId?: string };
      buffered = buffered.slice(end + 1);
      if (message.id !== undefined) {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) call?.reject(new Error(`${call.method}: ${message.error.message}`));
        else call?.resolve(message.result);
      } else if (message.method) {
        for (const listener of listeners.get(`${message.sessionId ?? ''}|${message.method}`) ?? []) listener(message.params as never);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const call of pending.values()) call.reject(new Error(`chromium exited during ${call.method}: ${stderrTail.slice(-500)}`));
    pending.clear();
  });

  function send(method: string, params: Params = {}, sessionId?: string): Promise<unknown> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, method });
      toBrowser.write(JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params }) + '\0');
    });
  }
  const on = (sessionId: string, event: string, listener: Listener) => {
    const key = `${sessionId}|${event}`;
    if (!listeners.has(key)) listeners.set(key, new Set());
    listeners.get(key)!.add(listener);
  };
  const off = (sessionId: string, event: string, listener: Listener) => listeners.get(`${sessionId}|${event}`)?.delete(listener);

  await send('Browser.getVersion'); // the pipe is up

  return {
    pid: child.pid,
    async newPage(url, viewport) {
      const { targetId } = (await send('Target.createTarget', { url: 'about:blank', width: viewport.width, height: viewport.height })) as { targetId: string };
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
      const errors: string[] = [];
      const page: PipePage = {
        errors,
        send: (method, params) => send(method, params, sessionId),
        on: (event, listener) => on(sessionId, event, listener),
        off: (event, listener) => off(sessionId, event, listener),
        async evaluate<T>(expression: string) {
          const { result, exceptionDetails } = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId)) as {
            result: { value?: unknown };
            exceptionDetails?: { text: string; exception?: { description?: string } };
          };
          if (exceptionDetails) throw new Error(`evaluate: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
          return result.value as T;
        },
        async waitFor(expression, timeoutMs) {
          const deadline = Date.now() + timeoutMs;
          while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
            if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        },
      };
      page.on('Runtime.exceptionThrown', ((event: { exceptionDetails: { text: string; exception?: { description?: string } } }) =>
        errors.push(event.exceptionDetails.exception?.description ?? event.exceptionDetails.text)) as Listener);
      page.on('Runtime.consoleAPICalled', ((event: { type: string; args: { value?: unknown; description?: string }[] }) => {
        if (event.type === 'error') errors.push(event.args.map((a) => a.value ?? a.description ?? '').join(' '));
      }) as Listener);
      await Promise.all([
        page.send('Runtime.enable'),
        page.send('Performance.enable'),
        page.send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false }),
      ]);
      await page.send('Page.navigate', { url });
      return page;
    },
    async close() {
      if (child.exitCode === null) {
        await send('Browser.close').catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
