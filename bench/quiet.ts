/**
 * A benchmark on a busy machine measures the neighbours too. Before a scenario runs, say so when the
 * machine is not quiet: another everynode lab running (its heartbeats are steady CPU work and fsyncs
 * on the same disk), or CPUs already busy.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename } from 'node:path';

export interface OtherLab {
  pid: number;
  command: string;
}

export interface MachineState {
  /** Share of all CPU time that was not idle while we sampled, 0..1. */
  busyFraction: number;
  cores: number;
  otherLabs: OtherLab[];
}

/** Whether a process's arguments are an `everynode up` (through node, npx or the bin link). */
export function isEverynodeLab(args: readonly string[]): boolean {
  const entry = args.findIndex((arg) => /^everynode(\.js)?$/.test(basename(arg)));
  return entry >= 0 && args.slice(entry + 1).includes('up');
}

/** What to tell the user before a run; nothing on a quiet machine. */
export function busyMachineWarnings(state: MachineState): string[] {
  const warnings = state.otherLabs.map(
    (lab) => `warning: another everynode lab is running (pid ${lab.pid}: ${lab.command}); its work and fsyncs share this machine, so stop it for figures you can compare`,
  );
  if (state.busyFraction > 0.2) {
    warnings.push(`warning: the CPUs were ${Math.round(state.busyFraction * 100)}% busy before the run (${state.cores} cores); the figures will include that load`);
  }
  return warnings;
}

/** Samples CPU use for `ms` and looks for other labs (on Linux, through /proc). */
export async function sampleMachine(ms = 250): Promise<MachineState> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  return { busyFraction: total > 0 ? (after.busy - before.busy) / total : 0, cores: cpus().length, otherLabs: otherLabs() };
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle;
    total += sum;
    busy += sum - times.idle;
  }
  return { busy, total };
}

function otherLabs(): OtherLab[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return []; // not Linux: no check
  }
  const labs: OtherLab[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // gone meanwhile
    }
    if (isEverynodeLab(args)) labs.push({ pid: Number(pid), command: args.join(' ') });
  }
  return labs;
}
