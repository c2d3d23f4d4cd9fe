/**
 * The messages of the local runner's WebSocket (`/api/local?token=…`), JSON text frames both ways.
 * Shared by the page (LocalRunner) and the server (src/server/local-runner). Types only.
 *
 * Every request may carry an `id`, echoed in its reply. The `id` of a `shell` or `run` request names the
 * process: its `started`, `output` and `exit` messages carry it, and `input`, `resize` and `kill` use it to
 * pick the process (without one: the latest process for input/resize, every process for kill).
 */
import type { GradeResult } from '../../grading/exercise-types.ts';

export type MessageId = string | number;

export type ClientMessage =
  | { type: 'files'; id?: MessageId; files: Record<string, string> }
  | { type: 'shell'; id?: MessageId; cols?: number; rows?: number; env?: Record<string, string> }
  /** `peer`: an exercise id; the server gives the program that exercise's environment and its practice peer. */
  | { type: 'run'; id?: MessageId; file: string; env?: Record<string, string>; timeoutMs?: number; cols?: number; rows?: number; peer?: string }
  | { type: 'input'; id?: MessageId; data: string }
  | { type: 'resize'; id?: MessageId; cols: number; rows: number }
  | { type: 'kill'; id?: MessageId }
  | { type: 'grade'; id?: MessageId; exercise: string; file: string };

export type StopReason = 'time' | 'output' | 'stopped';

export type ServerMessage =
  | { type: 'ok'; id?: MessageId }
  /** `env`: for a run with a peer, the environment the program got (PORT, PEER_PORT …), for a second shell. */
  | { type: 'started'; id: MessageId; kind: 'shell' | 'run'; env?: Record<string, string> }
  | { type: 'output'; id: MessageId; data: string }
  | { type: 'exit'; id: MessageId; code: number | null; stopped?: StopReason; message?: string }
  | { type: 'grade'; id?: MessageId; result: GradeResult }
  | { type: 'error'; id?: MessageId; message: string };

/** WebSocket close code when the cap on concurrent sessions is reached (1013: try again later). */
export const CLOSE_TOO_MANY_SESSIONS = 1013;
/** WebSocket close code when the server stops (1001: going away). */
export const CLOSE_SERVER_STOPPING = 1001;

export const LOCAL_WS_PATH = '/api/local';
export const LOCAL_STATUS_PATH = '/api/local/status';
export const TOKEN_META_NAME = 'tcplab-local';
/** In pages `npm start` serves without the owner's session: the local runner is there, behind the login link. */
export const LOGIN_META_NAME = 'tcplab-local-login';
export const TOKEN_HEADER_NAME = 'X-Tcplab-Token';

/** Why the local runner is not offered on a page that did not come from `npm start` (a published site, among others). */
export const NO_LOCAL_SERVER = 'it needs the course running on your own computer (`npm start`)';
export const LOCAL_LOGIN_NEEDED = 'open the link `npm start` printed (with its token) to run code on this computer';

/** The local server's token in this page, if the page came from it (kept here, light, so a page can ask before loading the runner). */
export function tokenFromPage(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  return document.querySelector(`meta[name=${TOKEN_META_NAME}]`)?.getAttribute('content') ?? undefined;
}

/** True when `npm start` served this page without the owner's session (the learner must open its link). */
export function loginNeeded(): boolean {
  return typeof document !== 'undefined' && document.querySelector(`meta[name=${LOGIN_META_NAME}]`) !== null;
}

export interface LocalStatus {
  ok: true;
  node: string;
  platform: string;
  /** The server can open terminals (a shell, a run). */
  pty: boolean;
  /** Each process of a session runs in a process namespace of its own (bubblewrap): nothing outlives it. */
  jail?: boolean;
  sessions: number;
  maxSessions: number;
}
