#!/usr/bin/env python3
"""Captures what iproute2's ss and net-tools' netstat print for a known scene, in a fresh network
namespace (run as root: `unshare -n python3 scripts/truth/capture_ss_netstat.py > FILE.json`).

The scene, on 127.0.0.1 (the same one src/shell/ss-netstat-fidelity.test.ts builds on the simulated kernel):
  a listener on 8080 (backlog 128), and four connections to it from fixed client ports:
  40001 ESTABLISHED both ways; 40002 closed by the client (its FIN_WAIT_2, the server's CLOSE_WAIT);
  40003 closed by the client, then by the server (the client's TIME_WAIT); 40004 half-closed by the
  client with shutdown(SHUT_WR) (FIN_WAIT_2 that is not orphaned; CLOSE_WAIT on the server).
Timers are printed as they were at capture time; the test compares them by name and shape only.
"""
import json, socket, subprocess, sys, time

subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 8080))
srv.listen(128)

def conn(port):
    c = socket.socket()
    c.bind(("127.0.0.1", port))
    c.connect(("127.0.0.1", 8080))
    a, _ = srv.accept()
    return c, a

keep = []
c1, a1 = conn(40001); keep += [c1, a1]
c2, a2 = conn(40002); keep.append(a2); c2.close()
c3, a3 = conn(40003); c3.close(); time.sleep(0.05); a3.close()
c4, a4 = conn(40004); keep += [c4, a4]; c4.shutdown(socket.SHUT_WR)
time.sleep(0.3)

COMMANDS = [
    "ss -tan", "ss -tn", "ss -t", "ss -ta", "ss -tln", "ss -tano", "ss -tno", "ss -o",
    "ss -tan state close-wait", "ss state close-wait", "ss -tan state fin-wait-2", "ss -tano state fin-wait-2",
    "ss -tan state time-wait", "ss -tan state established", "ss -tn state listening", "ss -tanH",
    "netstat -nt", "netstat -nta", "netstat -ntl", "netstat -tn", "netstat -nto", "netstat -ntao",
]
out = {"tools": {"ss": subprocess.run(["ss", "-V"], capture_output=True, text=True).stdout.strip(),
                 "netstat": subprocess.run(["netstat", "-V"], capture_output=True, text=True).stdout.splitlines()[0]},
       "outputs": {}}
for cmd in COMMANDS:
    r = subprocess.run(cmd.split(), capture_output=True, text=True)
    out["outputs"][cmd] = r.stdout
# In a terminal, ss spreads its columns over the terminal's width (and breaks lines that do not fit).
import fcntl, os, pty, struct, termios
def on_tty(cmd, cols):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.waitpid(pid, 0)
    return data.decode().replace("\r\n", "\n")
out["tty"] = {}
for cols in (100, 80, 45):
    for cmd in ("ss -tan", "ss -tano", "ss -tan state close-wait", "ss -tano state fin-wait-2", "ss -tn"):
        out["tty"][f"{cols} {cmd}"] = on_tty(cmd.split(), cols)
json.dump(out, sys.stdout, indent=1)
print()
