/**
 * What the scenario runner shares with the lab (its recorder and the `sock` command), in a module of its own so
 * that the lab's bundle can leave the runner out until a lesson asks for a prepared scene.
 */

/**
 * Each call line takes this long (virtual): on a real machine the next line comes some microseconds later,
 * after loopback has already delivered what the call sent and the peer's kernel has answered. Lines ending
 * in & take no time, so two of them start at the same instant (simultaneous open).
 */
export const LINE_US = 100;

/** Data as a C string literal, the way the scenario language writes it: "hello\n". */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 10) out += '\\n';
    else if (b === 13) out += '\\r';
    else if (b === 9) out += '\\t';
    else if (b === 0) out += '\\0';
    else if (b === 92) out += '\\\\';
    else if (b === 34) out += '\\"';
    else if (b < 32 || b > 126) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}
