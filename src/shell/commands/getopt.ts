/** POSIX getopt for a command's short options. `spec` like "lNvzp:" (a colon: the option takes a value). */
export type Parsed = { ok: true; flags: Set<string>; values: Map<string, string>; operands: string[] } | { ok: false; error: string; option: string };

export function getopt(args: string[], spec: string, permute = true): Parsed {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      operands.push(a);
      if (!permute) {
        operands.push(...args.slice(i + 1));
        break;
      }
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const at = spec.indexOf(c);
      if (at < 0) return { ok: false, error: `invalid option -- '${c}'`, option: c };
      if (spec[at + 1] === ':') {
        const rest = a.slice(j + 1);
        const value = rest !== '' ? rest : args[++i];
        if (value === undefined) return { ok: false, error: `option requires an argument -- '${c}'`, option: c };
        values.set(c, value);
        break;
      }
      flags.add(c);
    }
  }
  return { ok: true, flags, values, operands };
}
