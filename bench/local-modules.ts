import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../scripts/stack/project-paths';
import { load1 } from './proc-stats';
import { RAW_VERBS, timedRawProvisioning, type RawLoopOptions } from './raw-tofu-loop';

// Issue 13's timing target: provisioning the local stack on the localcloud provider (ADR 25)
// takes at most 10 % longer than it took on terraform_data resources with local-exec marker
// files. Both modules are provisioned by the same raw tofu loop (init, plan, apply, output), in
// one run, interleaved, so that both share the machine's noise; only the module differs.

/**
 * The repository just before the local stack moved onto the provider (d7d2a36's parent): its
 * terraform/ is the terraform_data module, with the same variables, outputs and stack.
 */
export const TERRAFORM_DATA_COMMIT = '3614593fd2b52226dbbc7f2f3135b4a3d2e3a4be';

/**
 * What is compared: the terraform_data module; the localcloud module as the engine runs it; and
 * the localcloud module with go-plugin's TLS, as the engine ran it before stackTofuEnv (evidence
 * of what that costs).
 */
export const LOCAL_MODULES = ['terraform_data', 'localcloud', 'localcloud_plugin_tls'] as const;
export type LocalModule = (typeof LOCAL_MODULES)[number];

/** Wall seconds of one module's provisionings (in the order run) and their medians. */
export interface ModuleSamples {
  /** Seconds of each provisioning: init + plan + apply + output. */
  seconds: number[];
  medianSeconds: number;
  /** The median of each verb, seconds. */
  verbMedians: Record<(typeof RAW_VERBS)[number], number>;
}

/** The comparison docs/benchmarks.md reports. */
export interface LocalModulesReport {
  rounds: number;
  /** localcloud's median / terraform_data's. */
  ratio: number;
  /** localcloud with plugin TLS: its median / terraform_data's. */
  ratioWithPluginTls: number;
  modules: Record<LocalModule, ModuleSamples>;
  /** 1-minute load average when each round ended. */
  load1: number[];
}

/**
 * Provisions the local stack `rounds` times with each module, interleaved: each round runs each
 * once, the order rotating (ABC, BCA, CAB, ...) so none always meets a warmer or a busier machine. Each provisioning is destroyed (untimed) before the next. One untimed
 * provisioning of each module warms the page cache first.
 */
export async function compareLocalModules(
  opts: Omit<RawLoopOptions, 'terraformDir'>,
  rounds: number,
  say: (msg: string) => void,
): Promise<LocalModulesReport> {
  const current = join(projectRoot(), 'terraform');
  const variants: Record<LocalModule, Partial<RawLoopOptions>> = {
    terraform_data: {
      terraformDir: await checkoutTerraform(join(opts.workRoot, 'terraform-data-module'), TERRAFORM_DATA_COMMIT),
    },
    localcloud: { terraformDir: current },
    localcloud_plugin_tls: { terraformDir: current, plainEnv: true },
  };
  const samples: Record<LocalModule, Array<Record<(typeof RAW_VERBS)[number], number>>> = {
    terraform_data: [],
    localcloud: [],
    localcloud_plugin_tls: [],
  };
  let index = 0;
  const provision = async (module: LocalModule) => {
    const run = await timedRawProvisioning({ ...opts, ...variants[module] }, index++);
    await run.destroy();
    return run.verbSeconds;
  };
  for (const module of LOCAL_MODULES) await provision(module);
  const loads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = LOCAL_MODULES.map((_, i) => LOCAL_MODULES[(i + round) % LOCAL_MODULES.length]);
    for (const module of order) samples[module].push(await provision(module));
    loads.push(load1());
    say(
      `round ${round + 1}/${rounds}: ${LOCAL_MODULES.map((m) => `${m} ${total(samples[m].at(-1)!).toFixed(2)} s`).join(', ')} (load ${loads.at(-1)})`,
    );
  }
  const summary = (runs: Array<Record<(typeof RAW_VERBS)[number], number>>): ModuleSamples => ({
    seconds: runs.map((r) => round2(total(r))),
    medianSeconds: round2(median(runs.map(total))),
    verbMedians: Object.fromEntries(RAW_VERBS.map((v) => [v, round2(median(runs.map((r) => r[v])))])) as Record<
      (typeof RAW_VERBS)[number],
      number
    >,
  });
  const modules = Object.fromEntries(LOCAL_MODULES.map((m) => [m, summary(samples[m])])) as Record<
    LocalModule,
    ModuleSamples
  >;
  const toTerraformData = (m: LocalModule) => round2(modules[m].medianSeconds / modules.terraform_data.medianSeconds);
  return {
    rounds,
    ratio: toTerraformData('localcloud'),
    ratioWithPluginTls: toTerraformData('localcloud_plugin_tls'),
    modules,
    load1: loads,
  };
}

/** Extracts `terraform/` as it was at `commit` into `dir`; returns the folder holding it. */
async function checkoutTerraform(dir: string, commit: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const archive = await execa('git', ['archive', '--format=tar', commit, 'terraform'], {
    cwd: projectRoot(),
    encoding: 'buffer',
  });
  await execa('tar', ['-x', '-C', dir], { input: archive.stdout });
  return join(dir, 'terraform');
}

const total = (r: Record<(typeof RAW_VERBS)[number], number>) => RAW_VERBS.reduce((s, v) => s + r[v], 0);
const round2 = (n: number) => Math.round(n * 100) / 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
