/** packetdrill scripts on the simulated kernel: parser, executor, judge. See README.md. */
export { parsePkt, stripComments, KNOWN_ERRNOS } from './parse.ts';
export { PktSyntaxError, DEFAULT_TOLERANCE_US, type PktScript, type PktEvent, type PacketSpec, type CallSpec, type TcpOptionSpec, type EventTime } from './ast.ts';
export { runOnSimulator, type SimDriverOptions } from './sim-driver.ts';
export { judge, packetDifference, type PktVerdict, type PktFailure, type LineReport } from './judge.ts';
export { runPkt, pktText, pktJson, failureText, type PktRun } from './run.ts';
export type { Observation, WirePacket, EventRecord } from './observation.ts';
export { Mapper, LOCAL_PORT, REMOTE_PORT, REMOTE_ISN } from './mapping.ts';
export { scriptTitle } from './library.ts';
