/**
 * Turns a learner's ESM program into a function the simulated runtime can call with its own modules:
 * static imports of node:net, process, timers, events and buffer become lookups in the simulated module
 * table; anything else throws "not available in the simulated runtime" when the program starts.
 */
export const SIM_MODULES = ['net', 'process', 'timers', 'timers/promises', 'events', 'buffer'] as const;

function moduleName(spec: string): string {
  return spec.replace(/^node:/, '');
}

const IMPORT = /^\s*import\s+(?:(?<def>[A-Za-z_$][\w$]*)\s*(?:,\s*)?)?(?:\*\s+as\s+(?<ns>[A-Za-z_$][\w$]*)\s*)?(?:\{(?<named>[^}]*)\}\s*)?(?:from\s+)?(?<q>['"])(?<spec>[^'"]+)\k<q>\s*;?/gm;

/** The program's source with its imports rewritten to __mod(...) lookups (line numbers are kept). */
export function rewriteImports(source: string): string {
  let out = source.replace(IMPORT, (whole, ...rest) => {
    const g = rest[rest.length - 1] as { def?: string; ns?: string; named?: string; spec: string };
    const lines = whole.split('\n').length - 1;
    const mod = JSON.stringify(moduleName(g.spec));
    const parts: string[] = [];
    if (g.def) parts.push(`const ${g.def} = __mod(${mod}).default;`);
    if (g.ns) parts.push(`const ${g.ns} = __mod(${mod});`);
    if (g.named !== undefined) {
      const names = g.named
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((n) => n.replace(/\s+as\s+/, ': '));
      parts.push(`const { ${names.join(', ')} } = __mod(${mod});`);
    }
    if (parts.length === 0) parts.push(`__mod(${mod});`);
    return parts.join(' ') + '\n'.repeat(lines);
  });
  // Dynamic import() of a module we provide.
  out = out.replace(/\bimport\s*\(\s*(['"])(node:)?([\w/]+)\1\s*\)/g, (_, _q, _n, name: string) => `__dynImport(${JSON.stringify(name)})`);
  // `export` keywords are harmless in a script; drop them so the code parses as a function body.
  out = out.replace(/^\s*export\s+default\s+/gm, 'const __default = ').replace(/^\s*export\s+(?=(async\s+)?(function|const|let|var|class)\b)/gm, '');
  return out;
}

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

export const INJECTED = ['__mod', '__dynImport', 'require', 'process', 'console', 'Buffer', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'] as const;

/** Compiles a program; a syntax error is returned, not thrown. */
export function compileProgram(source: string): { ok: true; fn: (...a: unknown[]) => Promise<unknown> } | { ok: false; error: SyntaxError } {
  try {
    return { ok: true, fn: new AsyncFunction(...INJECTED, `"use strict";\n${rewriteImports(source)}`) };
  } catch (e) {
    return { ok: false, error: e as SyntaxError };
  }
}
