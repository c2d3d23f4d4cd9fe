/** The sysctl key of a /proc/sys path (`/proc/sys/net/ipv4/tcp_fin_timeout` → `net.ipv4.tcp_fin_timeout`), else null. */
export function procPath(path: string): string | null {
  const m = /^\/proc\/sys\/(.+)$/.exec(path);
  return m ? m[1]!.replace(/\//g, '.') : null;
}
