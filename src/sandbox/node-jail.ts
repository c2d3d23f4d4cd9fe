/**
 * The jail of a learner's Node program: the system read-only, the Node runtime and the program's own file,
 * a private empty /tmp and home, nothing else of the machine; only the environment the exercise sets.
 */
import { DEFAULT_JAIL_LIMITS, type JailLimits, type JailSpec } from './jail.ts';
import type { Toolbox } from './support.ts';

/** Where things are inside the jail. */
export const JAIL_NODE = '/opt/node/bin/node';
export const JAIL_HOME = '/home/learner';

export interface NodeJailOptions {
  /** The Node binary on the host. */
  node: string;
  /** The program's source; it appears as /home/learner/<name> (read-only), copied in through a pipe. */
  source: string;
  name?: string;
  env: Record<string, string>;
  network: 'private' | 'inherit';
  limits?: Partial<JailLimits>;
  /** V8's heap limit in MiB (a clean "heap out of memory" rather than a failed allocation). */
  heapMb?: number;
  /** Node options before the program (READY_IMPORT). */
  nodeOptions?: string[];
}

export function nodeProgramJail(tools: Toolbox, o: NodeJailOptions): JailSpec {
  const name = o.name ?? 'main.mjs';
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`jail: bad program name ${JSON.stringify(name)}`);
  return {
    bwrap: tools.bwrap,
    ...(tools.dropTo ? { dropTo: tools.dropTo } : {}),
    network: o.network,
    system: tools.system,
    readOnly: [
      { from: o.node, to: JAIL_NODE },
      { data: o.source, to: `${JAIL_HOME}/${name}` },
    ],
    tmpfs: ['/tmp', JAIL_HOME],
    env: o.env,
    cwd: JAIL_HOME,
    argv: [JAIL_NODE, `--max-old-space-size=${o.heapMb ?? 256}`, ...(o.nodeOptions ?? []), `${JAIL_HOME}/${name}`],
    limits: { ...DEFAULT_JAIL_LIMITS, ...o.limits },
    prlimit: tools.prlimit,
    hostname: 'learner',
  };
}
