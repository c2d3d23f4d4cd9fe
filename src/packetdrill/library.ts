/** Names of the library's scripts (content/packetdrill/NN-name.pkt) as people read them. */
const WORDS: Array<[RegExp, string]> = [
  [/\btime-wait\b/g, 'TIME_WAIT'],
  [/\bclose-wait\b/g, 'CLOSE_WAIT'],
  [/\blast-ack\b/g, 'LAST_ACK'],
  [/\bsyn-sent\b/g, 'SYN_SENT'],
  [/\bsyn-recv\b/g, 'SYN_RECV'],
  [/\bfin-wait-([12])\b/g, 'FIN_WAIT_$1'],
  [/\bshut-rd\b/g, 'SHUT_RD'],
  [/\bestablished\b/g, 'ESTABLISHED'],
  [/\blinger-zero\b/g, 'SO_LINGER 0'],
  [/\bthree-way\b/g, 'three\u2011way'],
  [/\brfc1337\b/g, 'tcp_rfc1337'],
  [/\bfin-timeout\b/g, 'tcp_fin_timeout'],
  [/\b(rst|fin|syn|ack)\b/g, '$1!'],
];

/** "13-rst-into-time-wait" → "RST into TIME_WAIT". */
export function scriptTitle(name: string): string {
  let s = name.replace(/^\d+-/, '');
  for (const [re, to] of WORDS) s = s.replace(re, to);
  s = s.replace(/\b(rst|fin|syn|ack)!/g, (_, w: string) => w.toUpperCase()).replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
