#!/usr/bin/env python3
"""Runs a parsed .tcplab scenario on this machine's real Linux kernel, with real sockets on 127.0.0.1.

Input (stdin): {"statements": [...], "retry": N} — the statements exactly as the TypeScript parser produced
them (src/kernel/scenario/parse.ts), so both executors read the same program. Output (stdout): a JSON object
in the shape of shared/SCENARIOS.md ("ok", "error", "segments", "calls", "expects") plus "endpoints"
(socket name -> local ip:port) and "attempts".

Each PROC is a real child process holding its sockets (so `kill` is a real SIGKILL); segments are captured
with tcpdump on lo; socket states come from `ss -tan`; `drop next` is an nftables rule that drops exactly one
matching segment (limit rate 1/day burst 1); sysctls are set for the run and restored afterwards, even on
failure. Only 127.0.0.1 is ever used.
"""
import base64, errno, json, os, re, select, signal, socket, struct, subprocess, sys, tempfile, threading, time

NFT_TABLE = "tcplab_truth"


def errname(e):
    return errno.errorcode.get(e.errno, "EIO") if isinstance(e, OSError) and e.errno else "EIO"


def parse_addr(text):
    ip, port = text.rsplit(":", 1)
    return ip, int(port)


# ── child process: holds a PROC's sockets and runs its calls ──────────────────────────────────────

def child_main(rfd, wfd, ctl, socks=None):
    socks = {} if socks is None else socks  # a forked process starts with its parent's sockets
    connecting = {}  # name -> the address a connect() in progress aims at
    lock = threading.Lock()
    out = os.fdopen(wfd, "w", buffering=1)
    # A process forked from this one is this one's child: reap it automatically when it dies.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)

    def reply(cid, result, data=None):
        eps = {}
        for name, s in list(socks.items()):
            try:
                local = "%s:%d" % s.getsockname()
            except OSError:
                local = None
            try:
                peer = "%s:%d" % s.getpeername()
            except OSError:
                # In SYN_SENT there is no peer yet, but ss lists the socket with the address it is connecting to.
                peer = connecting.get(name)
            eps[name] = [local, peer]
        msg = {"id": cid, "result": result, "endpoints": eps}
        if data is not None:
            msg["data"] = base64.b64encode(data).decode()
        with lock:
            out.write(json.dumps(msg) + "\n")

    def run(cmd):
        op, name = cmd["op"], cmd.get("sock")
        at = cmd.get("at")
        if at is not None:
            # Calls started together (consecutive "&" lines) begin at the same monotonic instant in every
            # process, so that racing SYNs really cross on the wire.
            while time.monotonic() < at - 0.001:
                time.sleep(0.0005)
            while time.monotonic() < at:
                pass
        try:
            if op == "info":
                return reply(cmd["id"], "0")
            if op == "socket":
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socks[cmd["name"]] = s
                return reply(cmd["id"], str(s.fileno()))
            s = socks[name]
            if op == "bind":
                s.bind(parse_addr(cmd["addr"]))
            elif op == "listen":
                s.listen(cmd["backlog"] if cmd["backlog"] is not None else 128)
            elif op == "reuseaddr":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            elif op == "linger":
                secs = cmd["seconds"]
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 0 if secs is None else 1, secs or 0))
            elif op == "keepalive":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1 if cmd["on"] else 0)
                for key, opt in (("idle", socket.TCP_KEEPIDLE), ("intvl", socket.TCP_KEEPINTVL), ("cnt", socket.TCP_KEEPCNT)):
                    if cmd.get(key) is not None:
                        s.setsockopt(socket.IPPROTO_TCP, opt, cmd[key])
            elif op == "usertimeout":
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, cmd["ms"])
            elif op == "reuseport":
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            elif op == "linger2":
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_LINGER2, cmd["seconds"])
            elif op == "shutdown":
                s.shutdown({"SHUT_RD": socket.SHUT_RD, "SHUT_WR": socket.SHUT_WR, "SHUT_RDWR": socket.SHUT_RDWR}[cmd["how"]])
            elif op == "close":
                s.close()
            elif op == "connect":
                connecting[name] = cmd["addr"]
                try:
                    s.connect(parse_addr(cmd["addr"]))
                finally:
                    connecting.pop(name, None)
            elif op == "dup":
                d = s.dup()
                socks[cmd["name"]] = d
                return reply(cmd["id"], str(d.fileno()))
            elif op == "accept":
                c, _ = s.accept()
                socks[cmd["name"]] = c
                return reply(cmd["id"], str(c.fileno()))
            elif op == "send":
                data = base64.b64decode(cmd["data"])
                s.sendall(data)
                return reply(cmd["id"], str(len(data)))
            elif op == "recv":
                data = s.recv(cmd["max"])
                return reply(cmd["id"], "EOF" if data == b"" else "DATA", data)
            elif op == "info":
                pass
            else:
                return reply(cmd["id"], "EINVAL")
            reply(cmd["id"], "0")
        except OSError as e:
            reply(cmd["id"], errname(e))

    buf = b""
    while True:
        chunk = os.read(rfd, 65536)
        if not chunk:
            os._exit(0)
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            cmd = json.loads(line)
            if cmd["op"] == "fork":
                # The executor passes the new process's pipes (and its own control socket) over ctl.
                _, fds, _, _ = socket.recv_fds(ctl, 16, 3)
                pid = os.fork()
                if pid == 0:
                    # The new process: same descriptors, new channels to the executor; this process's
                    # other threads (a connect() in the background) do not come along.
                    os.close(rfd)
                    out.close()
                    ctl.close()
                    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
                    child_main(fds[0], fds[1], socket.socket(fileno=fds[2]), socks)
                    os._exit(0)
                for fd in fds:
                    os.close(fd)
                reply(cmd["id"], str(pid))
            elif cmd.get("background"):
                threading.Thread(target=run, args=(cmd,), daemon=True).start()
            else:
                run(cmd)


class Child:
    def __init__(self, name, fork_of=None):
        r1, w1 = os.pipe()
        r2, w2 = os.pipe()
        ctl_here, ctl_there = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.buf = b""
        self.results = {}
        self.endpoints = {}
        self.alive = True
        self.name, self.w, self.r, self.ctl = name, w1, r2, ctl_here
        if fork_of is None:
            pid = os.fork()
            if pid == 0:
                os.close(w1)
                os.close(r2)
                ctl_here.close()
                try:
                    child_main(r1, w2, ctl_there)
                finally:
                    os._exit(0)
        else:
            # fork(): the process fork_of forks itself; the copy talks to us over the new pipes.
            cid = "fork-%s" % name
            fork_of.send({"op": "fork", "id": cid})
            socket.send_fds(fork_of.ctl, [b"f"], [r1, w2, ctl_there.fileno()])
            fork_of.pump_until(cid, 5)
            pid = int(fork_of.results.pop(cid)["result"])
        os.close(r1)
        os.close(w2)
        ctl_there.close()
        self.pid = pid

    def pump_until(self, cid, timeout):
        deadline = time.time() + timeout
        while cid not in self.results and self.alive and time.time() < deadline:
            self.pump(0.01)
        if cid not in self.results:
            raise RuntimeError("%s did not answer %s" % (self.name, cid))

    def send(self, cmd):
        os.write(self.w, (json.dumps(cmd) + "\n").encode())

    def pump(self, timeout):
        """Reads whatever replies arrive within timeout seconds."""
        if not self.alive:
            return
        ready, _, _ = select.select([self.r], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self.r, 1 << 20)
        if not chunk:
            self.alive = False
            return
        self.buf += chunk
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            msg = json.loads(line)
            for k, v in msg["endpoints"].items():
                old = self.endpoints.get(k)
                if v[0]:
                    # A reset socket forgets its peer (getpeername fails): keep the last one we saw.
                    self.endpoints[k] = [v[0], v[1] or (old[1] if old else None)]
            self.results[msg["id"]] = msg

    def kill(self):
        if self.alive:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self.alive = False


# ── capture, states, drops, sysctls ───────────────────────────────────────────────────────────────

LINE = re.compile(r"^(\d+\.\d+) IP (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]+)\](?:, seq (\d+)(?::(\d+))?)?(?:, ack (\d+))?, win (\d+)(?:, options \[[^\]]*\])?, length (\d+)")


def read_capture(path):
    try:
        text = subprocess.run(["tcpdump", "-r", path, "-nn", "-S", "-tt"], capture_output=True, text=True, timeout=30).stdout
    except Exception:
        return []
    segs = []
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        t, sip, sport, dip, dport, flags, seq, _end, ack, win, length = m.groups()
        segs.append({"t": float(t), "src": "%s:%s" % (sip, sport), "dst": "%s:%s" % (dip, dport), "flags": flags,
                     "absSeq": int(seq) if seq else None, "absAck": int(ack) if ack else None,
                     "win": int(win), "len": int(length)})
    return segs


SS_NAMES = {"ESTAB": "ESTABLISHED", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV", "FIN-WAIT-1": "FIN_WAIT_1",
            "FIN-WAIT-2": "FIN_WAIT_2", "TIME-WAIT": "TIME_WAIT", "CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK",
            "LISTEN": "LISTEN", "CLOSING": "CLOSING", "UNCONN": "CLOSED"}


def ss_rows():
    out = subprocess.run(["ss", "-tanH"], capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 5:
            rows.append((SS_NAMES.get(parts[0], parts[0]), parts[3], parts[4], parts[1], parts[2]))
    return rows


def state_and_queues(endpoints, name):
    ep = endpoints.get(name)
    if not ep or not ep[0]:
        return ("CLOSED", 0, 0)
    local, peer = ep
    for st, l, p, rq, sq in ss_rows():
        if l != local:
            continue
        if (peer is None and st == "LISTEN") or (peer is not None and p == peer):
            return (st, int(rq), int(sq))
    return ("CLOSED", 0, 0)


def state_of(endpoints, name):
    return state_and_queues(endpoints, name)[0]


def expect_actual(endpoints, st):
    state, rq, sq = state_and_queues(endpoints, "%s:%s" % (st["proc"], st["sock"]))
    text = state
    if st.get("recvQ") is not None:
        text += " recv-q %d" % rq
    if st.get("sendQ") is not None:
        text += " send-q %d" % sq
    return text


FLAG_EXPR = {".": "ack", "F.": "fin|ack", "FP.": "fin|psh|ack", "P.": "psh|ack", "S": "syn", "S.": "syn|ack", "R": "rst", "R.": "rst|ack"}


def nft(*args):
    return subprocess.run(["nft", *args], capture_output=True, text=True)


def add_drop(local, peer, flags, every=False, tag=None):
    nft("add", "table", "inet", NFT_TABLE)
    # The input hook: the segment leaves the sender (which believes it sent it, as with a loss on the wire)
    # and tcpdump sees it, but it never reaches the receiving socket.
    nft("add", "chain", "inet", NFT_TABLE, "out", "{ type filter hook input priority 0; }")
    lip, lport = parse_addr(local)
    rule = ["add", "rule", "inet", NFT_TABLE, "out", "ip", "saddr", lip, "tcp", "sport", str(lport)]
    if peer:  # a listening socket has no peer: the rule covers what its connections send (their SYN-ACKs)
        rip, rport = parse_addr(peer)
        rule += ["ip", "daddr", rip, "tcp", "dport", str(rport)]
    if flags:
        rule += ["tcp", "flags", "&", "(fin|syn|rst|psh|ack)", "==", "(%s)" % FLAG_EXPR[flags]]
    if every:
        # `drop all`: no limit; the comment lets `undrop` find the rule again.
        rule += ["drop", "comment", '"%s"' % tag]
    else:
        rule += ["limit", "rate", "1/day", "burst", "1", "packets", "drop"]
    r = nft(*rule)
    if r.returncode != 0:
        raise RuntimeError("nft: " + r.stderr.strip())


def remove_drops(tag):
    out = nft("-a", "list", "chain", "inet", NFT_TABLE, "out").stdout
    for line in out.splitlines():
        m = re.search(r'comment "([^"]*)" # handle (\d+)', line)
        if m and m.group(1) == tag:
            nft("delete", "rule", "inet", NFT_TABLE, "out", "handle", m.group(2))


def clear_drops():
    nft("delete", "table", "inet", NFT_TABLE)


def sysctl_path(key):
    return "/proc/sys/" + key.replace(".", "/")


# ── one attempt ───────────────────────────────────────────────────────────────────────────────────

def run_attempt(statements, pcap_path, capture_t0, line_pause, block_timeout):
    children, calls, expects, notes = {}, [], [], []
    t_last = time.time()
    endpoints = {}
    pending = []  # (child, id, statement, started)
    targets = set()
    error = None
    next_id = [0]
    start = time.time()
    group_at = None

    def child(name):
        if name not in children or not children[name].alive:
            children[name] = Child(name)
        return children[name]

    def collect(block_until=None, timeout=block_timeout):
        deadline = time.time() + timeout
        while True:
            for c in children.values():
                c.pump(0)
                for k, v in c.endpoints.items():
                    endpoints["%s:%s" % (c.name, k)] = v
            done = []
            for p in pending:
                c, cid, st, _ = p
                if cid in c.results:
                    calls.append(result_record(st, c.results.pop(cid), time.time()))
                    done.append(p)
            for p in done:
                pending.remove(p)
            if block_until is None:
                return True
            c, cid = block_until
            if cid in c.results:
                return True
            if not c.alive:
                return False
            if time.time() > deadline:
                return False
            c.pump(0.005)

    def result_record(st, msg, t):
        res = msg["result"]
        rec = {"t": round(t - capture_t0, 6), "proc": st["proc"], "line": st["line"], "call": st["text"], "result": res}
        if res == "DATA":
            rec["result"] = "DATA"
            rec["data"] = msg["data"]
        return rec

    try:
        for st in statements:
            collect()
            kind = st["kind"]
            if kind == "call":
                c = child(st["proc"])
                call = dict(st["call"])
                cid = next_id[0]
                next_id[0] += 1
                if call["op"] == "send":
                    call["data"] = st["callData"]
                if call["op"] == "connect":
                    targets.add(parse_addr(call["addr"])[1])
                cmd = {**call, "id": cid, "background": st["background"]}
                if st["background"]:
                    group_at = group_at or (time.monotonic() + 0.005)
                    cmd["at"] = group_at
                else:
                    group_at = None
                c.send(cmd)
                if st["background"]:
                    pending.append((c, cid, st, time.time()))
                    continue
                if not collect((c, cid)):
                    error = "%d: %s did not return within %d s" % (st["line"], st["text"], block_timeout)
                    break
                calls.append(result_record(st, c.results.pop(cid), time.time()))
                for k, v in c.endpoints.items():
                    endpoints["%s:%s" % (c.name, k)] = v
                time.sleep(line_pause)
            if kind != "call":
                group_at = None
            if kind == "call":
                pass
            elif kind == "kill":
                c = children.get(st["proc"])
                if c:
                    pending[:] = [p for p in pending if p[0] is not c]
                    c.kill()
                calls.append({"t": round(time.time() - capture_t0, 6), "proc": st["proc"], "line": st["line"], "call": "kill", "result": "0"})
                time.sleep(line_pause)
            elif kind == "fork":
                parent = child(st["proc"])
                try:
                    children[st["child"]] = Child(st["child"], fork_of=parent)
                    res = "0"
                except (OSError, RuntimeError) as e:
                    res = errname(e) if isinstance(e, OSError) else "EIO"
                calls.append({"t": round(time.time() - capture_t0, 6), "proc": st["proc"], "line": st["line"], "call": "fork %s" % st["child"], "result": res})
                time.sleep(line_pause)
            elif kind == "drop":
                ep = endpoints.get("%s:%s" % (st["proc"], st["sock"]))
                if not ep or not ep[0]:
                    error = "%d: cannot drop: %s:%s has no address" % (st["line"], st["proc"], st["sock"])
                    break
                add_drop(ep[0], ep[1], st["flags"])
            elif kind == "drop-all":
                name = "%s:%s" % (st["proc"], st["sock"])
                ep = endpoints.get(name)
                if not ep or not ep[0]:
                    error = "%d: cannot drop: %s has no address" % (st["line"], name)
                    break
                add_drop(ep[0], ep[1], st["flags"], every=True, tag=name)
            elif kind == "undrop":
                remove_drops("%s:%s" % (st["proc"], st["sock"]))
            elif kind == "sleep":
                end = time.time() + st["us"] / 1e6
                while time.time() < end:
                    collect()
                    time.sleep(min(0.01, max(0, end - time.time())))
            elif kind == "expect":
                # Ask the process for its sockets' addresses now: a connect() still in progress has not replied yet.
                if st["proc"] in children and children[st["proc"]].alive:
                    c = children[st["proc"]]
                    cid = next_id[0]
                    next_id[0] += 1
                    c.send({"op": "info", "sock": None, "id": cid})
                    if collect((c, cid), timeout=2):
                        c.results.pop(cid, None)
                        for k, v in c.endpoints.items():
                            endpoints["%s:%s" % (c.name, k)] = v
                actual = expect_actual(endpoints, st)
                wanted = st["state"]
                if st.get("recvQ") is not None:
                    wanted += " recv-q %d" % st["recvQ"]
                if st.get("sendQ") is not None:
                    wanted += " send-q %d" % st["sendQ"]
                expects.append({"t": round(time.time() - capture_t0, 6), "line": st["line"], "expect": "expect %s:%s %s" % (st["proc"], st["sock"], wanted),
                                "expected": wanted, "actual": actual, "ok": actual == wanted})
            elif kind == "expect-segments":
                time.sleep(0.05)  # let tcpdump write what it saw
                ports = {int(v[0].rsplit(":", 1)[1]) for v in endpoints.values() if v[0]} | targets
                n = len([s for s in read_capture(pcap_path) if s["t"] >= capture_t0 and (int(s["src"].rsplit(":", 1)[1]) in ports or int(s["dst"].rsplit(":", 1)[1]) in ports)])
                expects.append({"t": round(time.time() - capture_t0, 6), "line": st["line"], "expect": "expect-segments %d" % st["count"],
                                "expected": str(st["count"]), "actual": str(n), "ok": n == st["count"]})
            elif kind == "ss":
                notes.append({"line": st["line"], "ss": subprocess.run(["ss", "-tan"], capture_output=True, text=True).stdout})
        t_last = time.time()
        time.sleep(0.01)
        collect()
    finally:
        for c in children.values():
            c.kill()
        clear_drops()
    ports = {int(v[0].rsplit(":", 1)[1]) for v in endpoints.values() if v[0]} | targets
    return {"calls": calls, "expects": expects, "error": error, "endpoints": endpoints, "ports": sorted(ports), "notes": notes,
            "pending": [p[2]["line"] for p in pending], "start": start, "t_last": t_last}


CLONE_NEWNET = 0x40000000
SETTLE = 0.001  # the simulator lets the network settle 1 ms after the last line (SETTLE_US)


def fresh_network_namespace():
    """A new network namespace of our own: its own lo, its own sysctls and nft tables, no TIME_WAIT left over
    from an earlier run. Returns False if the kernel refuses (then the host's namespace is used)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        return False
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    return True


def one_attempt(body, sysctls, line_pause, block_timeout):
    """Runs in a child process: namespace, sysctls, capture, statements; returns the attempt as a dict."""
    fresh = fresh_network_namespace()
    saved = {}
    tmp = tempfile.mkdtemp(prefix="tcplab-truth-")
    pcap = os.path.join(tmp, "capture.pcap")
    dump = None
    try:
        for key, value in sysctls:
            path = sysctl_path(key)
            if not fresh and key not in saved:
                with open(path) as f:
                    saved[key] = f.read().strip()
            with open(path, "w") as f:
                f.write(value)
        dump = subprocess.Popen(["tcpdump", "-i", "lo", "-nn", "-U", "--immediate-mode", "-Z", "root", "-s", "128", "-w", pcap, "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        line = dump.stderr.readline().decode()
        if "listening" not in line:
            raise RuntimeError("tcpdump did not start: " + line.strip())
        t0 = time.time()
        attempt = run_attempt(body, pcap, t0, line_pause, block_timeout)
        time.sleep(0.1)
        dump.send_signal(signal.SIGINT)
        dump.wait(timeout=10)
        ports = set(attempt["ports"])
        segs = [s for s in read_capture(pcap) if t0 - 0.001 <= s["t"] <= attempt["t_last"] + SETTLE]
        segs = [s for s in segs if int(s["src"].rsplit(":", 1)[1]) in ports or int(s["dst"].rsplit(":", 1)[1]) in ports]
        for s in segs:
            s["t"] = round(s["t"] - t0, 6)
        ok = attempt["error"] is None and all(e["ok"] for e in attempt["expects"])
        return {"ok": ok, "error": attempt["error"], "segments": segs, "calls": attempt["calls"], "expects": attempt["expects"],
                "endpoints": {k: v[0] for k, v in attempt["endpoints"].items()}, "pending": attempt["pending"],
                "notes": attempt["notes"], "namespace": fresh}
    finally:
        if dump and dump.poll() is None:
            dump.kill()
        for key, value in saved.items():
            try:
                with open(sysctl_path(key), "w") as f:
                    f.write(value)
            except OSError:
                pass
        if not fresh:
            clear_drops()
        for name in os.listdir(tmp):
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)


def in_child(fn):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            res = fn()
        except Exception as e:  # reported, never raised through the fork
            res = {"ok": False, "error": "executor: %s" % e, "segments": [], "calls": [], "expects": [], "endpoints": {}}
        with os.fdopen(w, "w") as f:
            json.dump(res, f)
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        text = f.read()
    os.waitpid(pid, 0)
    return json.loads(text)


def main():
    prog = json.load(sys.stdin)
    statements = prog["statements"]
    retry = max(1, int(prog.get("retry", 1)))
    budget = float(prog.get("retryBudgetSeconds", 60))
    line_pause = float(prog.get("linePauseSeconds", 0.0001))
    block_timeout = 150.0 if retry == 1 else 5.0
    sysctls = [(st["key"], st["value"]) for st in statements if st["kind"] == "sysctl"]
    body = [st for st in statements if st["kind"] != "sysctl"]
    t_begin = time.time()
    attempts = 0
    while True:
        attempts += 1
        result = in_child(lambda: one_attempt(body, sysctls, line_pause, block_timeout))
        if result["ok"] or attempts >= retry or time.time() - t_begin > budget:
            break
    result["attempts"] = attempts
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
