#!/usr/bin/env python3
"""Runs a parsed packetdrill script on this machine's real Linux kernel, the project's own executor
(standard library only; no code of packetdrill's).

Run it inside a fresh network namespace (`unshare -n python3 pkt_exec.py`): it creates a tun device tun0 with
packetdrill's addresses (this machine 192.168.0.1/16, the remote peer 192.0.2.1 routed through tun0), writes
the script's `<` packets into tun0 as raw IPv4 packets, and reads every packet the kernel sends back. The
socket calls run on one thread, as a program would make them; the script's timeline runs on another.

Input (stdin): {"script": <the PktScript the TypeScript parser produced (src/packetdrill/parse.ts)>}.
Output (stdout): an Observation (src/packetdrill/observation.ts): what happened, not a verdict — the
TypeScript judge (src/packetdrill/judge.ts) decides, the same for this run and the simulator's.

The time and number rules mirror src/packetdrill/schedule.ts and mapping.ts; keep them in step.
"""
import errno, fcntl, json, os, select, socket, struct, subprocess, sys, threading, time

LOCAL_IP = "192.168.0.1"
REMOTE_IP = "192.0.2.1"
LOCAL_PORT = 8080
REMOTE_PORT = 40000
REMOTE_ISN = 0
MOD = 1 << 32
ANY_TIME_LIMIT = 120.0  # seconds a `*` line waits on real Linux

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

# Linux's defaults for what this namespace would otherwise inherit from the machine: tcp_rmem[2] decides the
# window scale Linux offers (6 MiB → wscale 7), as on a stock Debian.
NETNS_SYSCTLS = {
    "net.ipv4.tcp_rmem": "4096 131072 6291456",
    "net.ipv4.tcp_wmem": "4096 16384 4194304",
    "net.ipv6.conf.all.disable_ipv6": "1",
    "net.ipv6.conf.default.disable_ipv6": "1",
}

SOCKOPTS = {
    "SO_REUSEADDR": (socket.SOL_SOCKET, socket.SO_REUSEADDR),
    "SO_LINGER": (socket.SOL_SOCKET, socket.SO_LINGER),
    "SO_KEEPALIVE": (socket.SOL_SOCKET, socket.SO_KEEPALIVE),
    "SO_REUSEPORT": (socket.SOL_SOCKET, getattr(socket, "SO_REUSEPORT", 15)),
    "TCP_LINGER2": (socket.IPPROTO_TCP, 8),
    "TCP_USER_TIMEOUT": (socket.IPPROTO_TCP, 18),
    "TCP_KEEPIDLE": (socket.IPPROTO_TCP, 4),
    "TCP_KEEPINTVL": (socket.IPPROTO_TCP, 5),
    "TCP_KEEPCNT": (socket.IPPROTO_TCP, 6),
    "TCP_NODELAY": (socket.IPPROTO_TCP, socket.TCP_NODELAY),
}


def errname(e):
    if isinstance(e, OSError) and e.errno:
        name = errno.errorcode.get(e.errno, "EIO")
        return "EAGAIN" if name == "EWOULDBLOCK" else name
    return "EIO"


def sh(*args):
    subprocess.run(list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# ── packets ────────────────────────────────────────────────────────────────────────────────────────

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return (~s) & 0xFFFF


def encode_options(options):
    out = b""
    for o in options:
        k = o["kind"]
        if k == "nop":
            out += b"\x01"
        elif k == "eol":
            out += b"\x00"
        elif k == "mss":
            out += struct.pack("!BBH", 2, 4, o["value"])
        elif k == "wscale":
            out += struct.pack("!BBB", 3, 3, o["value"])
        elif k == "sackOK":
            out += b"\x04\x02"
        elif k == "sack":
            out += struct.pack("!BB", 5, 2 + 8 * len(o["blocks"]))
            for a, b in o["blocks"]:
                out += struct.pack("!II", a % MOD, b % MOD)
        elif k == "ts":
            out += struct.pack("!BBII", 8, 10, o["val"] % MOD, o["ecr"] % MOD)
    while len(out) % 4:
        out += b"\x00"
    return out


def decode_options(raw):
    out, i = [], 0
    while i < len(raw):
        k = raw[i]
        if k == 0:
            break
        if k == 1:
            out.append({"kind": "nop"})
            i += 1
            continue
        if i + 1 >= len(raw):
            break
        n = raw[i + 1]
        body = raw[i + 2 : i + n]
        if k == 2 and n == 4:
            out.append({"kind": "mss", "value": struct.unpack("!H", body)[0]})
        elif k == 3 and n == 3:
            out.append({"kind": "wscale", "value": body[0]})
        elif k == 4 and n == 2:
            out.append({"kind": "sackOK"})
        elif k == 5:
            out.append({"kind": "sack", "blocks": [list(struct.unpack("!II", body[j : j + 8])) for j in range(0, len(body) - 7, 8)]})
        elif k == 8 and n == 10:
            val, ecr = struct.unpack("!II", body)
            out.append({"kind": "ts", "val": val, "ecr": ecr})
        if n < 2:
            break
        i += n
    return out


FLAG_BITS = (("S", 0x02), ("F", 0x01), ("R", 0x04), ("P", 0x08), (".", 0x10))


def build_packet(p, ip_id):
    flags = 0
    for c, bit in FLAG_BITS:
        if c in p["flags"]:
            flags |= bit
    opts = encode_options(p["options"])
    payload = bytes(p["len"])
    offset = (20 + len(opts)) // 4
    tcp = struct.pack("!HHIIBBHHH", p["srcPort"], p["dstPort"], p["seq"] % MOD, p["ack"] % MOD, offset << 4, flags, p["win"], 0, 0) + opts + payload
    pseudo = socket.inet_aton(REMOTE_IP) + socket.inet_aton(LOCAL_IP) + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ip_id & 0xFFFF, 0x4000, 64, socket.IPPROTO_TCP, 0, socket.inet_aton(REMOTE_IP), socket.inet_aton(LOCAL_IP))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


def parse_packet(raw, t):
    if len(raw) < 40 or raw[0] >> 4 != 4 or raw[9] != socket.IPPROTO_TCP:
        return None
    if socket.inet_ntoa(raw[12:16]) != LOCAL_IP or socket.inet_ntoa(raw[16:20]) != REMOTE_IP:
        return None
    ihl = (raw[0] & 15) * 4
    total = struct.unpack("!H", raw[2:4])[0]
    tcp = raw[ihl:total]
    sport, dport, seq, ack, off, fl, win = struct.unpack("!HHIIBBH", tcp[:16])
    hlen = (off >> 4) * 4
    flags = "".join(c for c, bit in FLAG_BITS if fl & bit)
    return {"t": t, "srcPort": sport, "dstPort": dport, "flags": flags, "seq": seq, "ack": ack if fl & 0x10 else 0,
            "win": win, "len": len(tcp) - hlen, "options": decode_options(tcp[20:hlen])}


# ── the rules shared with the TypeScript side (schedule.ts, mapping.ts) ───────────────────────────────

def at(p, ref):
    return ref + p["us"] if p["relative"] else p["us"]


def due(time_, ref):
    k = time_["kind"]
    if k == "at":
        t = at(time_["at"], ref)
        return t, t, None
    if k == "range":
        return at(time_["from"], ref), at(time_["to"], ref), None
    if k == "any":
        return ref, None, None
    return at(time_["at"], ref), at(time_["at"], ref), at(time_["end"], ref)


def next_ref(time_, start, end, actual):
    if time_["kind"] in ("any", "range"):
        return actual if actual is not None else (end if end is not None else start)
    return start


class Mapper:
    def __init__(self):
        self.local_isn = None
        self.ts_offset = None
        self.last_ts = None
        self.local_port = LOCAL_PORT
        self.remote_port = REMOTE_PORT

    def on_outbound(self, p, spec):
        if "S" in p["flags"]:
            self.local_isn = p["seq"]
        self.local_port, self.remote_port = p["srcPort"], p["dstPort"]
        ts = next((o for o in p["options"] if o["kind"] == "ts"), None)
        if ts:
            self.last_ts = ts["val"]
            want = next((o for o in (spec or {}).get("options") or [] if o["kind"] == "ts"), None)
            if self.ts_offset is None and want:
                self.ts_offset = ts["val"] - want["val"]

    def local_abs(self, rel):
        return rel % MOD if self.local_isn is None else (self.local_isn + rel) % MOD

    def inbound(self, spec, t):
        options = []
        for o in spec["options"] or []:
            if o["kind"] == "sack":
                options.append({"kind": "sack", "blocks": [[self.local_abs(a), self.local_abs(b)] for a, b in o["blocks"]]})
            elif o["kind"] == "ts" and o["ecr"] != 0:
                ecr = (o["ecr"] + self.ts_offset) % MOD if self.ts_offset is not None else (self.last_ts if self.last_ts is not None else o["ecr"])
                options.append({"kind": "ts", "val": o["val"], "ecr": ecr})
            else:
                options.append(o)
        win = spec["win"] if spec["win"] is not None else (0 if "R" in spec["flags"] else 65535)
        return {"t": t, "srcPort": self.remote_port, "dstPort": self.local_port, "flags": spec["flags"],
                "seq": (REMOTE_ISN + spec["seq"]) % MOD, "ack": 0 if spec["ack"] is None else self.local_abs(spec["ack"]),
                "win": win, "len": spec["len"], "options": options}


# ── the run ───────────────────────────────────────────────────────────────────────────────────────

class Run:
    def __init__(self, script):
        self.script = script
        self.tol = script["toleranceUs"]
        self.outbound = []
        self.cond = threading.Condition()
        self.t0 = None
        self.tun = None
        self.socks = {}  # script fd -> socket
        self.keep = []  # every socket object, so none is closed by the garbage collector
        self.jobs = []
        self.jobs_cond = threading.Condition()
        self.ip_id = 1

    def now(self):
        return int((time.monotonic() - self.t0) * 1e6)

    def sleep_until(self, us):
        # Plain sleeps: a busy wait would hold the interpreter lock and delay the threads that time packets.
        target = self.t0 + us / 1e6
        while True:
            left = target - time.monotonic()
            if left <= 0:
                return
            time.sleep(left)

    def setup(self):
        for key, value in NETNS_SYSCTLS.items():
            sh("sysctl", "-q", "-w", "%s=%s" % (key, value))
        self.tun = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(self.tun, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
        sh("ip", "link", "set", "lo", "up")
        sh("ip", "link", "set", "tun0", "up")
        sh("ip", "addr", "add", LOCAL_IP + "/16", "dev", "tun0")
        sh("ip", "route", "add", "192.0.2.0/24", "dev", "tun0")

    def capture(self):
        while True:
            r, _, _ = select.select([self.tun], [], [], 1.0)
            if not r:
                continue
            raw = os.read(self.tun, 65536)
            p = parse_packet(raw, self.now())
            if p:
                with self.cond:
                    self.outbound.append(p)
                    self.cond.notify_all()

    # system calls, on their own thread, one after another

    def call_thread(self):
        while True:
            with self.jobs_cond:
                while not self.jobs:
                    self.jobs_cond.wait()
                rec, spec = self.jobs[0]
            rec["start"] = self.now()
            result, err, value, note = self.syscall(spec)
            rec["end"] = self.now()
            rec["result"], rec["errno"] = result, err
            if value is not None:
                rec["value"] = value
            if note:
                rec["note"] = note
            with self.jobs_cond:
                self.jobs.pop(0)
                self.jobs_cond.notify_all()

    def sock(self, fd):
        s = self.socks.get(fd)
        if s is None:
            raise OSError(errno.EBADF, "Bad file descriptor")
        return s

    def syscall(self, spec):
        c = spec["call"]
        name = c["name"]
        try:
            if name == "nop":
                return 0, None, None, None
            if name == "socket":
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
                self.keep.append(s)
                if spec["result"] >= 0:
                    self.socks[spec["result"]] = s
                return s.fileno(), None, None, None
            s = self.sock(c["fd"])
            if name == "bind":
                s.bind((LOCAL_IP, LOCAL_PORT))
            elif name == "listen":
                s.listen(c["backlog"])
            elif name == "accept":
                conn, _ = s.accept()
                self.keep.append(conn)
                if spec["result"] >= 0:
                    self.socks[spec["result"]] = conn
                return conn.fileno(), None, None, None
            elif name == "connect":
                e = s.connect_ex((REMOTE_IP, LOCAL_PORT))
                if e:
                    raise OSError(e, os.strerror(e))
            elif name == "setsockopt":
                level, opt = SOCKOPTS[c["option"]]
                v = c["value"]
                if isinstance(v, dict):
                    s.setsockopt(level, opt, struct.pack("ii", v["onoff"], v["linger"]))
                else:
                    s.setsockopt(level, opt, v)
            elif name == "getsockopt":
                e = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                return 0, None, (errno.errorcode.get(e, str(e)) if e else 0), None
            elif name == "fcntl":
                if c["cmd"] == "F_GETFL":
                    return fcntl.fcntl(s.fileno(), fcntl.F_GETFL) & (os.O_ACCMODE | os.O_NONBLOCK), None, None, None
                flags = fcntl.fcntl(s.fileno(), fcntl.F_GETFL)
                flags = flags | os.O_NONBLOCK if c["nonblock"] else flags & ~os.O_NONBLOCK
                fcntl.fcntl(s.fileno(), fcntl.F_SETFL, flags)
            elif name in ("read", "recv"):
                data = os.read(s.fileno(), c["count"]) if name == "read" else s.recv(c["count"])
                return len(data), None, None, None
            elif name in ("write", "send"):
                n = os.write(s.fileno(), bytes(c["count"])) if name == "write" else s.send(bytes(c["count"]))
                return n, None, None, None
            elif name == "shutdown":
                s.shutdown({"SHUT_RD": socket.SHUT_RD, "SHUT_WR": socket.SHUT_WR, "SHUT_RDWR": socket.SHUT_RDWR}[c["how"]])
            elif name == "close":
                s.close()
            return 0, None, None, None
        except OSError as e:
            return -1, errname(e), None, None

    def run(self):
        records = []
        mapper = Mapper()
        consumed = 0
        ref = 0
        horizon = 0
        threading.Thread(target=self.capture, daemon=True).start()
        threading.Thread(target=self.call_thread, daemon=True).start()
        # Warm up the call thread (a no-op job) so that the script's first call is not late.
        self.t0 = time.monotonic()
        warm = {"end": None}
        with self.jobs_cond:
            self.jobs.append((warm, {"call": {"name": "nop"}, "result": 0}))
            self.jobs_cond.notify_all()
            self.jobs_cond.wait_for(lambda: warm["end"] is not None, 1.0)
        self.t0 = time.monotonic() + 0.02
        for ev in self.script["events"]:
            start, end, returns = due(ev["time"], ref)
            horizon = max(horizon, returns if returns is not None else start, end if end is not None else start)
            if ev["kind"] == "packet" and ev["packet"]["direction"] == "in":
                self.sleep_until(start)
                p = mapper.inbound(ev["packet"], self.now())
                os.write(self.tun, build_packet(p, self.ip_id))
                self.ip_id += 1
                records.append({"line": ev["line"], "kind": "in", "t": p["t"], "packet": p})
                ref = next_ref(ev["time"], start, end, None)
            elif ev["kind"] == "packet":
                deadline = (self.now() / 1e6 + ANY_TIME_LIMIT) if end is None else (end + self.tol) / 1e6
                index = None
                with self.cond:
                    while len(self.outbound) <= consumed:
                        left = self.t0 + deadline - time.monotonic()
                        if left <= 0:
                            break
                        self.cond.wait(left)
                    if len(self.outbound) > consumed:
                        index = consumed
                        consumed += 1
                        mapper.on_outbound(self.outbound[index], ev["packet"])
                records.append({"line": ev["line"], "kind": "out", "packet": index})
                ref = next_ref(ev["time"], start, end, None if index is None else self.outbound[index]["t"])
                if end is None:
                    horizon = max(horizon, ref)
            elif ev["kind"] == "call":
                self.sleep_until(start)
                if ev["spec"]["call"]["name"] == "connect":
                    mapper.remote_port = LOCAL_PORT
                rec = {"line": ev["line"], "kind": "call", "start": self.now(), "end": None, "result": None, "errno": None}
                records.append(rec)
                with self.jobs_cond:
                    self.jobs.append((rec, ev["spec"]))
                    self.jobs_cond.notify_all()
                # A call the kernel answers at once returns before the next line, as in the simulator.
                if ev["time"]["kind"] != "blocking":
                    with self.jobs_cond:
                        self.jobs_cond.wait_for(lambda: rec["end"] is not None, 0.002)
                ref = next_ref(ev["time"], start, end, None)
            else:
                self.sleep_until(start)
                cmd = ev["command"]
                err = None
                if cmd["kind"] != "sysctl":
                    err = "`%s` is not supported" % cmd["text"]
                else:
                    for s in cmd["settings"]:
                        r = subprocess.run(["sysctl", "-q", "-w", "%s=%s" % (s["key"], s["value"])], capture_output=True, text=True)
                        if r.returncode != 0:
                            err = r.stderr.strip() or "sysctl failed"
                            break
                records.append({"line": ev["line"], "kind": "command", "t": self.now(), "error": err})
                ref = next_ref(ev["time"], start, end, None)
        self.sleep_until(max(horizon, ref) + self.tol)
        with self.cond:
            outbound = list(self.outbound)
        return {"records": records, "outbound": outbound, "end": self.now(), "error": None}


def main():
    sys.setswitchinterval(0.0001)  # hand the interpreter lock over quickly: packet times stay within ~0.1 ms
    req = json.load(sys.stdin)
    run = Run(req["script"])
    try:
        run.setup()
    except (OSError, subprocess.CalledProcessError) as e:
        detail = e.stderr.decode().strip() if isinstance(e, subprocess.CalledProcessError) and e.stderr else str(e)
        print(json.dumps({"records": [], "outbound": [], "end": 0, "error": "cannot set up the tun device: %s" % detail}))
        sys.stdout.flush()
        os._exit(0)
    out = run.run()
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)  # a call still blocked in its thread must not keep the process alive


if __name__ == "__main__":
    main()
