/** Parsing what a page sends: anything malformed becomes an error reply, never an exception. */
import type { ClientMessage, MessageId } from '../../runners/local/protocol.ts';

export type Parsed = { ok: true; message: ClientMessage } | { ok: false; id?: MessageId; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is MessageId => (typeof v === 'string' && v.length <= 100) || (typeof v === 'number' && Number.isFinite(v));
const optNumber = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function stringMap(v: unknown, names?: RegExp): v is Record<string, string> {
  return isObject(v) && Object.entries(v).every(([k, x]) => typeof x === 'string' && !x.includes('\0') && (!names || names.test(k)));
}

export function parseMessage(raw: string): Parsed {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  if (!isObject(m)) return { ok: false, error: 'a message must be a JSON object' };
  if (m['id'] !== undefined && !isId(m['id'])) return { ok: false, error: 'id must be a string or a number' };
  const id = m['id'] as MessageId | undefined;
  const bad = (error: string): Parsed => ({ ok: false, error, ...(id !== undefined ? { id } : {}) });
  switch (m['type']) {
    case 'files':
      return isObject(m['files']) ? { ok: true, message: m as ClientMessage } : bad('files: expected {files: {path: text}}');
    case 'shell':
      if (m['env'] !== undefined && !stringMap(m['env'], ENV_NAME)) return bad('shell: env must map variable names to strings');
      return optNumber(m['cols']) && optNumber(m['rows']) ? { ok: true, message: m as ClientMessage } : bad('shell: cols and rows must be numbers');
    case 'run':
      if (typeof m['file'] !== 'string') return bad('run: expected {file}');
      if (m['env'] !== undefined && !stringMap(m['env'], ENV_NAME)) return bad('run: env must map variable names to strings');
      if (!optNumber(m['timeoutMs']) || !optNumber(m['cols']) || !optNumber(m['rows'])) return bad('run: timeoutMs, cols and rows must be numbers');
      if (m['peer'] !== undefined && typeof m['peer'] !== 'string') return bad('run: peer must be an exercise id');
      return { ok: true, message: m as ClientMessage };
    case 'input':
      return typeof m['data'] === 'string' ? { ok: true, message: m as ClientMessage } : bad('input: expected {data: string}');
    case 'resize':
      return typeof m['cols'] === 'number' && typeof m['rows'] === 'number' ? { ok: true, message: m as ClientMessage } : bad('resize: expected {cols, rows}');
    case 'kill':
      return { ok: true, message: m as ClientMessage };
    case 'grade':
      return typeof m['exercise'] === 'string' && typeof m['file'] === 'string' ? { ok: true, message: m as ClientMessage } : bad('grade: expected {exercise, file}');
    default:
      return bad(`unknown message type: ${JSON.stringify(m['type'])}`);
  }
}
