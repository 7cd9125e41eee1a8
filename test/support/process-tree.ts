import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A running process as /proc shows it (Linux). */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** The executable's path ('' when it cannot be read). */
  exe: string;
  argv: string[];
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let exe = '';
    try {
      exe = readlinkSync(`/proc/${pid}/exe`);
    } catch {
      // a zombie, or another user's process
    }
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { pid, ppid: Number(fields[1]), pgid: Number(fields[2]), exe, argv };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every live process. */
export function processes(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => readProcess(Number(d)) ?? []);
}

/** The processes descended from `pid` (children, their children, ...), whatever their group. */
export function descendants(pid: number): ProcessInfo[] {
  const all = processes();
  const found: ProcessInfo[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

/** SIGKILL to `pid` and everything descended from it (cleanup of a test's process tree). */
export function killTree(pid: number): void {
  for (const p of [...descendants(pid), { pid }]) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
