import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * Lazy components that do not suspend when their code is already there. React.lazy suspends on the
 * first render of every lazy component whose promise has not settled — a fresh `import()` promise
 * never has, even for a module loaded long ago — and React 19 shows the content that replaces a
 * fallback no sooner than 300 ms after the last fallback appeared. A map route renders four lazy
 * parts one inside the other (district gate, view, /plan's editor, the map), so even with every
 * chunk preloaded (route-prefetch.ts) the map was created about a second after its code arrived.
 * Modules are named by a key so that the shell can preload what a view's chunk will render.
 */

const loaded = new Map<string, unknown>();
const loading = new Map<string, Promise<unknown>>();

/**
 * Starts loading the module `key` with `load` (once per key; again after a failure) and resolves
 * to it; from then on `lazyModule(key, …)` renders without suspending.
 */
export function preloadModule<M>(key: string, load: () => Promise<M>): Promise<M> {
  let promise = loading.get(key) as Promise<M> | undefined;
  if (!promise) {
    promise = load().then((module) => {
      loaded.set(key, module);
      return module;
    });
    loading.set(key, promise);
    promise.catch(() => loading.delete(key));
  }
  return promise;
}

/**
 * React.lazy of the component `pick` takes from module `key`: suspends (loading it) only while the
 * module is not there yet. The same key must always mean the same module.
 */
export function lazyModule<M, P extends object>(key: string, load: () => Promise<M>, pick: (module: M) => ComponentType<P>): LazyExoticComponent<ComponentType<P>> {
  return lazy(() => {
    if (loaded.has(key)) {
      const component = pick(loaded.get(key) as M);
      // A thenable that answers at once: React.lazy reads it as resolved without suspending.
      return { then: (resolve: (value: { default: ComponentType<P> }) => void) => resolve({ default: component }) } as unknown as Promise<{ default: ComponentType<P> }>;
    }
    return preloadModule(key, load).then((module) => ({ default: pick(module) }));
  });
}
