/**
 * Code and data the lab's commands load on first use rather than with the lab: the scenario call parser
 * (sock), the /etc/services table (ss without -n), the help and usage texts and the commands a session
 * seldom runs (commands/seldom.ts). A command that needs one before it is loaded waits for it (it runs a few milliseconds later), as a program waits for its disk.
 */
import type { CommandEnv, Running, Signal } from './types.ts';

const LOADERS = {
  parse: () => import('../kernel/scenario/parse.ts'),
  services: () => import('../kernel/render/services.ts'),
  help: () => import('./help.ts'),
  seldom: () => import('./commands/seldom.ts'),
};
type Key = keyof typeof LOADERS;
type ModuleOf<K extends Key> = Awaited<ReturnType<(typeof LOADERS)[K]>>;

const loaded = new Map<Key, unknown>();
const loading = new Map<Key, Promise<unknown>>();

/** Starts loading `key` (once); resolves with the module. */
export function load<K extends Key>(key: K): Promise<ModuleOf<K>> {
  let p = loading.get(key);
  if (!p) {
    p = LOADERS[key]().then((m) => {
      loaded.set(key, m);
      return m;
    });
    loading.set(key, p);
  }
  return p as Promise<ModuleOf<K>>;
}

/** The module if it is loaded already, else null (and it starts loading). */
export function ready<K extends Key>(key: K): ModuleOf<K> | null {
  const m = loaded.get(key) as ModuleOf<K> | undefined;
  if (m) return m;
  void load(key);
  return null;
}

/** Loads everything at once (tests, which run commands synchronously). */
export async function preloadAll(): Promise<void> {
  await Promise.all((Object.keys(LOADERS) as Key[]).map((k) => load(k)));
}

/** Runs a command that needs `key`: at once when loaded, else as soon as it is (Ctrl-C while waiting stops it). */
export function afterLoading<K extends Key>(env: CommandEnv, key: K, run: (mod: ModuleOf<K>) => Running): Running {
  const mod = ready(key);
  if (mod) return run(mod);
  let inner: Running | null = null;
  let killed: number | null = null;
  void load(key).then((m) => {
    if (killed === null) inner = run(m);
    env.world.notify();
  });
  return {
    pid: null,
    get status() {
      return killed ?? inner?.status ?? null;
    },
    tick() {
      inner?.tick();
    },
    signal(sig: Signal) {
      if (inner) inner.signal(sig);
      else killed = sig === 'KILL' ? 137 : sig === 'TERM' ? 143 : 130;
    },
  };
}
