import { done, type Command } from '../types.ts';
import { getopt } from './getopt.ts';

/** The inode a socket's descriptor links to (`socket:[INODE]`): stable per socket, like sock_i_ino(). */
export function socketInode(sockId: number): number {
  return 36000 + sockId;
}

/**
 * `ls [-l] /proc/PID/fd`: a process's open descriptors — 0, 1 and 2 on its terminal, then its sockets as
 * `socket:[INODE]` — the way to count what a leaking process holds. Other paths do not exist on this lab machine
 * (the home directory is empty). Names go one per line into a pipe and side by side on the terminal, as GNU ls
 * does, which also quotes `socket:[…]` on a terminal because of its brackets.
 */
export const ls: Command = (env) => {
  const parsed = getopt(env.argv.slice(1), 'l1a');
  if (!parsed.ok) {
    env.err(`ls: ${parsed.error}\nTry 'ls --help' for more information.\n`);
    return done(2);
  }
  const long = parsed.flags.has('l');
  const tty = !env.stdoutIsPipe;
  let status = 0;
  const paths = parsed.operands;
  paths.forEach((path, i) => {
    const m = /^\/proc\/(\d+)\/fd\/?$/.exec(path);
    const proc = m ? env.world.kernel.processes().find((p) => p.pid === Number(m[1])) : undefined;
    if (!proc) {
      env.err(`ls: cannot access '${path}': No such file or directory\n`);
      status = 2;
      return;
    }
    const k = env.world.kernel;
    const entries = [0, 1, 2, ...proc.fds].map((fd) => {
      const id = fd > 2 ? k.socketOf(proc.pid, fd) : undefined;
      const target = id === undefined ? '/dev/pts/0' : `socket:[${socketInode(id)}]`;
      return { name: String(fd), target: id !== undefined && tty ? `'${target}'` : target };
    });
    if (paths.length > 1) env.out(`${i > 0 ? '\n' : ''}${path}:\n`);
    if (long) {
      env.out('total 0\n');
      for (const e of entries) env.out(`lrwx------ 1 learner learner 64 Jan  1 00:00 ${e.name} -> ${e.target}\n`);
    } else if (tty && !parsed.flags.has('1')) env.out(`${entries.map((e) => e.name).join('  ')}\n`);
    else for (const e of entries) env.out(`${e.name}\n`);
  });
  return done(status);
};
