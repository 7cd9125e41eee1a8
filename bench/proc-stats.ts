import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds a process has used, including its waited-for children (tofu runs of a worker):
 * utime + stime + cutime + cstime of /proc/<pid>/stat.
 */
export function cpuSeconds(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: the fields after it start behind the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, cstime field 17.
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return (utime + stime + cutime + cstime) / TICKS_PER_SECOND;
}

/** CPU seconds of several processes together. */
export function totalCpuSeconds(pids: ReadonlyArray<number | 'self'>): number {
  return pids.reduce<number>((sum, pid) => sum + cpuSeconds(pid), 0);
}

/** Resident set size of a process, in KiB. */
export function rssKiB(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

/** The 1-minute load average, rounded, to print beside each figure. */
export function load1(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}
