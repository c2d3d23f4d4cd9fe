import type { Kernel, SockOpt } from '../kernel.ts';
import type { Result } from '../types.ts';
import type { ProcCall } from './ast.ts';

type OptionCall = Extract<ProcCall, { op: 'keepalive' | 'usertimeout' | 'reuseport' | 'linger2' }>;

/** The setsockopt() calls one option line stands for, in the order a program makes them. */
export function sockOptsOf(c: OptionCall): SockOpt[] {
  switch (c.op) {
    case 'keepalive': {
      const opts: SockOpt[] = [{ name: 'SO_KEEPALIVE', value: c.on }];
      if (c.idle !== null) opts.push({ name: 'TCP_KEEPIDLE', value: c.idle });
      if (c.intvl !== null) opts.push({ name: 'TCP_KEEPINTVL', value: c.intvl });
      if (c.cnt !== null) opts.push({ name: 'TCP_KEEPCNT', value: c.cnt });
      return opts;
    }
    case 'usertimeout':
      return [{ name: 'TCP_USER_TIMEOUT', value: c.ms }];
    case 'reuseport':
      return [{ name: 'SO_REUSEPORT', value: true }];
    case 'linger2':
      return [{ name: 'TCP_LINGER2', value: c.seconds }];
  }
}

/** Makes the calls in order and stops at the first error, as a C program checking each result would. */
export function applySockOpts(k: Pick<Kernel, 'setsockopt'>, pid: number, fd: number, opts: SockOpt[]): Result<void> {
  for (const o of opts) {
    const r = k.setsockopt(pid, fd, o);
    if (!r.ok) return r;
  }
  return { ok: true, value: undefined };
}

/** The option line as a script writes it, for a socket called `name`. */
export function optionCallText(c: OptionCall, name: string): string {
  switch (c.op) {
    case 'keepalive': {
      const extra = (['idle', 'intvl', 'cnt'] as const).filter((k) => c[k] !== null).map((k) => ` ${k}=${c[k]}`);
      return `keepalive ${name} ${c.on ? 'on' : 'off'}${extra.join('')}`;
    }
    case 'usertimeout':
      return `usertimeout ${name} ${c.ms === 0 ? '0' : `${c.ms}ms`}`;
    case 'reuseport':
      return `reuseport ${name}`;
    case 'linger2':
      return `linger2 ${name} ${c.seconds}`;
  }
}

export type { OptionCall };
