/** One line of help per command (`help`, `help CMD`, `man CMD`). */
export const HELP: Record<string, { usage: string; summary: string }> = {
  nc: { usage: 'nc [-lNvz] [-p port] [host] port', summary: 'open a TCP connection (or listen with -l) and relay what you type; Ctrl-D ends input (-N then half-closes), Ctrl-C kills it' },
  sock: { usage: 'sock', summary: 'an interactive socket program: type calls like s = socket, connect s 127.0.0.1:8080, shutdown s SHUT_RD, keepalive s on idle=5, close s' },
  ss: { usage: 'ss [-tanlpo] [state STATE]', summary: 'list TCP sockets and their states (iproute2)' },
  netstat: { usage: 'netstat [-ntalop]', summary: 'list TCP connections the way net-tools does' },
  tcpdump: { usage: 'tcpdump -i lo -nn [-S] [-c N] [port N]', summary: 'print every segment on the loopback interface as it passes; Ctrl-C stops' },
  sysctl: { usage: 'sysctl [-w] key[=value] | sysctl -a', summary: 'read or change kernel settings such as net.ipv4.tcp_fin_timeout' },
  cat: { usage: 'cat FILE', summary: 'print a file, e.g. /proc/sys/net/ipv4/tcp_fin_timeout' },
  echo: { usage: 'echo [text] [> file]', summary: 'print text, or write it to a /proc/sys file' },
  ps: { usage: 'ps', summary: 'list the processes of this lab machine' },
  kill: { usage: 'kill [-9|-TERM|-INT] PID|%JOB', summary: 'end a process; its kernel closes every socket it held' },
  sleep: { usage: 'sleep SECONDS', summary: 'wait (on the lab clock)' },
  drop: { usage: 'drop next|all FLAGS from PORT | drop clear', summary: 'lab only: make the network lose the next segment (or every segment: a dead peer) with these tcpdump flags (., F., S, any …) sent from a local port' },
  dmesg: { usage: 'dmesg', summary: 'print the kernel log, e.g. "TCP: too many orphaned sockets"' },
  ls: { usage: 'ls [-l] /proc/PID/fd', summary: 'list the descriptors a process holds (sockets show as socket:[inode])' },
  grep: { usage: 'grep [-v] [-c] [-i] PATTERN', summary: 'keep only the lines that contain PATTERN (in a pipeline)' },
  head: { usage: 'head [-n N]', summary: 'keep the first lines (in a pipeline)' },
  wc: { usage: 'wc -l', summary: 'count lines (in a pipeline)' },
  jobs: { usage: 'jobs', summary: 'list background jobs' },
  history: { usage: 'history', summary: 'list the commands typed in this terminal' },
  clear: { usage: 'clear', summary: 'clear the terminal' },
  help: { usage: 'help [COMMAND]', summary: 'list the commands, or explain one' },
  man: { usage: 'man COMMAND', summary: 'explain a command' },
  true: { usage: 'true', summary: 'do nothing, successfully' },
  false: { usage: 'false', summary: 'do nothing, unsuccessfully' },
};

/** `help` without a topic: the commands by what they are for (every one of HELP, once). */
export const HELP_GROUPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['connections', ['nc', 'sock', 'kill', 'ps', 'sleep', 'drop']],
  ['watching', ['ss', 'netstat', 'tcpdump', 'dmesg']],
  ['settings', ['sysctl', 'cat', 'echo', 'ls']],
  ['pipelines', ['grep', 'head', 'wc']],
  ['shell', ['jobs', 'history', 'clear', 'help', 'man', 'true', 'false']],
];

export const HELP_KEYS = 'Keys: Tab completes, ↑ ↓ recall commands, Ctrl-C interrupts, Ctrl-D ends input, Ctrl-L clears.\n';

/** The usage text a command prints for -h or a bad option, as the real tool prints it. */
export const USAGE = {
  ss: 'Usage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n   -n, --numeric       don\'t resolve service names\n   -a, --all           display all sockets\n   -l, --listening     display listening sockets\n   -o, --options       show timer information\n   -p, --processes     show process using socket\n   -t, --tcp           display only TCP sockets\n   -H, --no-header     Suppress header line\n',
  nc: `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
	  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
	  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
	  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
	  [destination] [port]
`,
};
