/** The simulated Linux TCP kernel: the public API. See README.md. */
export { Kernel, createKernel, type KernelOptions, type ProcessInfo, type SocketInfo, type SockOpt } from './kernel.ts';
export type { TraceEvent, SegmentEvent, StateEvent, CallEvent, TraceListener } from './trace.ts';
export {
  TCP_STATES,
  ERRNO_TEXT,
  formatEndpoint,
  parseEndpoint,
  type TcpState,
  type Errno,
  type Result,
  type Endpoint,
  type PollState,
  type ShutdownHow,
} from './types.ts';
export { LEGAL_TRANSITIONS, isLegalTransition } from './state.ts';
export { SYSCTLS, Sysctls } from './sysctl.ts';
export { formatTcpdumpLine, tcpdumpEndpoint, secondsStamp, clockStamp, type TcpdumpOptions } from './render/tcpdump.ts';
export { formatSs, ssSelect, ssTimer, SS_STATE, SS_FILTER_STATES, type SsOptions } from './render/ss.ts';
export { formatNetstat, NETSTAT_STATE, type NetstatOptions } from './render/netstat.ts';
export { LOOPBACK_LATENCY_US } from './network.ts';
export { TCP_TIMEWAIT_LEN_US, TCP_ATO_MIN_US, DELACK_NO_DATA_US, TCP_RTO_MIN_US, TCP_TIMEOUT_INIT_US } from './timers.ts';
