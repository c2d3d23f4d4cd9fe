#!/usr/bin/env python3
"""Runs one command in a pseudo-terminal for the local runner (stdlib only; node-pty cannot be built here).

    python3 pty-helper.py COLS ROWS -- COMMAND [ARGS...]

fd 0  bytes for the terminal (keystrokes), relayed to the PTY master
fd 1  everything the terminal shows, relayed from the PTY master
fd 3  control lines "COLS ROWS\\n": resize (TIOCSWINSZ on the master; the kernel sends SIGWINCH)
fd 4  one line "PID\\n": the command's pid, which is also its session id (it runs setsid)

Exits with the command's status (128 + N when a signal N killed it). The helper is a child subreaper
(Linux), so the command's orphaned descendants stay below it and the server can find and kill them all.
If the server that started it dies, the helper kills the command's session and exits.
"""
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time


def set_size(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))


def clamp(n):
    return max(1, min(1000, n))


def become_subreaper():
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except Exception:
        pass  # not Linux: the server falls back to killing process groups


def descendants(root):
    """Live processes below root, from /proc (None without /proc)."""
    try:
        names = [n for n in os.listdir('/proc') if n.isdigit()]
    except OSError:
        return None
    children = {}
    for n in names:
        try:
            with open('/proc/%s/stat' % n) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] not in ('Z', 'X'):
            children.setdefault(int(fields[1]), []).append(int(n))
    found, stack = [], [root]
    while stack:
        for c in children.get(stack.pop(), []):
            found.append(c)
            stack.append(c)
    return found


def kill_leftovers(pid):
    """Nothing outlives the program: background jobs and daemons it started are killed and reaped."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    for _ in range(50):
        left = descendants(os.getpid())
        if not left:
            break
        for p in left:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.005)
        try:
            while os.waitpid(-1, os.WNOHANG)[0] != 0:
                pass
        except ChildProcessError:
            break


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[2] != '--':
        sys.stderr.write('usage: pty-helper.py COLS ROWS -- COMMAND [ARGS...]\n')
        return 2
    cols, rows, argv = clamp(int(args[0])), clamp(int(args[1])), args[3:]
    parent = os.getppid()
    become_subreaper()

    # SIGCHLD wakes the select loop at once (through a pipe) when the program exits.
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)

    master, slave = os.openpty()
    set_size(slave, cols, rows)
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if hasattr(termios, 'TIOCSCTTY'):
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            for fd in (master, slave, 3, 4):
                if fd > 2:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            for name in ('SIGPIPE', 'SIGXFSZ'):  # Python ignores these; the program must not inherit that
                if hasattr(signal, name):
                    signal.signal(getattr(signal, name), signal.SIG_DFL)
            os.execvp(argv[0], argv)
        except Exception as e:  # noqa: BLE001 - report anything, then exit like a shell would
            os.write(2, ('cannot run %s: %s\r\n' % (argv[0], e)).encode())
        os._exit(127)

    os.close(slave)
    try:
        os.write(4, ('%d\n' % pid).encode())
        os.close(4)
    except OSError:
        pass

    for fd in (0, master):
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)

    reading = {0, master, 3, wake_r}
    pending = b''  # keystrokes the program has not read yet
    control = b''
    status = None

    def reap():
        nonlocal status
        while True:
            try:
                p, st = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if p == 0:
                return
            if p == pid:
                status = st

    def out(data):
        view = memoryview(data)
        while view:
            try:
                n = os.write(1, view)
                view = view[n:]
            except BlockingIOError:
                select.select([], [1], [], 1)

    while True:
        reap()
        if os.getppid() != parent:  # the server died: take the program with us
            kill_leftovers(pid)
            return 137
        timeout = 0 if status is not None else 0.25
        try:
            r, w, _ = select.select(list(reading), [master] if pending and master in reading else [], [], timeout)
        except InterruptedError:
            continue
        if master in r:
            try:
                data = os.read(master, 65536)
            except BlockingIOError:
                data = None
            except OSError as e:
                if e.errno != errno.EIO:
                    raise
                data = b''
            if data == b'':
                reading.discard(master)  # every slave closed: the program and its children are gone
            elif data:
                out(data)
        if wake_r in r:
            try:
                os.read(wake_r, 4096)
            except BlockingIOError:
                pass
        if master in w:
            try:
                n = os.write(master, pending)
                pending = pending[n:]
            except BlockingIOError:
                pass
            except OSError:
                pending = b''
        if 0 in r:
            try:
                data = os.read(0, 65536)
            except BlockingIOError:
                data = None
            if data == b'':
                reading.discard(0)
            elif data:
                pending += data
        if 3 in r:
            data = os.read(3, 4096)
            if data == b'':
                reading.discard(3)
            control += data
            while b'\n' in control:
                line, control = control.split(b'\n', 1)
                try:
                    c, rr = (int(x) for x in line.split())
                    set_size(master, clamp(c), clamp(rr))  # the kernel sends SIGWINCH to the foreground group
                except (ValueError, OSError):
                    pass
        if status is not None and (master not in reading or master not in r):
            break  # the program exited and its output is drained

    try:
        os.close(master)
    except OSError:
        pass
    kill_leftovers(pid)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


if __name__ == '__main__':
    sys.exit(main())
