import { Client, Connection } from '@temporalio/client';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { projectRoot } from '../scripts/stack/project-paths';
import { provisioningWorkflowId } from '../src/domain/workflow-ids';
import { dataSourceOptions } from '../src/persistence/data-source-options';
import { JobWriter } from '../src/read-model/job-writer';
import { engineDataConverter } from '../src/temporal/engine-data-converter';
import { startProvisioningWorkflow } from '../src/temporal/start-provisioning-workflow';
import { destroyNowUpdate } from '../workflows/provision-environment.api';
import { load1 } from './proc-stats';
import { RAW_VERBS, timedRawProvisioning, type RawLoopOptions } from './raw-tofu-loop';
import { aProvisionRequest } from './requests';
import { BENCH_ENCRYPTION_KEY, type BenchStack } from './stack';

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

/** Provisioning through the engine on each module: seconds from queued to completed. */
export interface EngineModulesReport {
  rounds: number;
  /** localcloud's median / terraform_data's. */
  ratio: number;
  modules: Record<
    'terraform_data' | 'localcloud',
    {
      seconds: number[];
      medianSeconds: number;
      /** Median seconds of each step (from its event to the next one's; `queued`: to the first). */
      stepMedians: Record<string, number>;
    }
  >;
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
    terraform_data: { terraformDir: await terraformDataModule(opts.workRoot) },
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

/**
 * Provisions through the engine `rounds` times on each module, interleaved (AB, BA, ...): two
 * fresh workers of the stack's build, alike but for TERRAFORM_DIR, each on a task queue of its
 * own; runs are started as the gateway starts them (job row, then workflow) and timed from the
 * job's queued_at to its completed_at (the database's clock), then destroyed, untimed. One
 * untimed run of each first (the workers' start, warm caches).
 */
export async function compareLocalModulesInEngine(
  stack: BenchStack,
  workRoot: string,
  rounds: number,
  say: (msg: string) => void,
): Promise<EngineModulesReport> {
  const dirs = { terraform_data: await terraformDataModule(workRoot), localcloud: join(projectRoot(), 'terraform') };
  const modules = ['terraform_data', 'localcloud'] as const;
  for (const m of modules) {
    stack.startWorker(`worker-${m}`, { TEMPORAL_TASK_QUEUE: `bench-${m}`, TERRAFORM_DIR: dirs[m] });
  }
  const db = await new DataSource(dataSourceOptions(stack.databaseUrl)).initialize();
  const pg = new PgClient({ connectionString: stack.databaseUrl });
  await pg.connect();
  const client = new Client({
    connection: await Connection.connect({ address: stack.temporalAddress }),
    dataConverter: engineDataConverter(Buffer.from(BENCH_ENCRYPTION_KEY, 'base64')),
  });
  /** Seconds of each step of a job, from the read model's events. */
  const stepsOf = async (jobId: string): Promise<Record<string, number>> => {
    const { rows } = await pg.query<{ step: string; at: number }>(
      `SELECT 'queued' AS step, EXTRACT(EPOCH FROM queued_at)::float AS at FROM provisioning_jobs WHERE job_id = $1
       UNION ALL
       SELECT step, EXTRACT(EPOCH FROM created_at)::float FROM (
         SELECT step, created_at FROM job_events WHERE job_id = $1 ORDER BY seq) e`,
      [jobId],
    );
    const end = rows.findIndex((r) => r.step === 'waiting_for_expiry');
    return Object.fromEntries(rows.slice(0, end).map((r, i) => [r.step, rows[i + 1].at - r.at]));
  };
  const steps: Record<(typeof modules)[number], Array<Record<string, number>>> = { terraform_data: [], localcloud: [] };
  const provision = async (m: (typeof modules)[number]): Promise<number> => {
    const request = aProvisionRequest(3600_000);
    const jobId = randomUUID();
    await new JobWriter(db).insertQueued({ jobId, workflowId: provisioningWorkflowId(request.tenant_id), request });
    const handle = await startProvisioningWorkflow(
      client,
      { taskQueue: `bench-${m}`, settings: { tofuTimeoutSeconds: 600, retryAttempts: 3 } },
      jobId,
      request,
    );
    const deadline = Date.now() + 300_000;
    for (;;) {
      const { rows } = await pg.query<{ status: string; seconds: number | null }>(
        `SELECT status, EXTRACT(EPOCH FROM completed_at - queued_at)::float AS seconds
           FROM provisioning_jobs WHERE job_id = $1`,
        [jobId],
      );
      const [job] = rows;
      if (job?.status === 'completed' && job.seconds !== null) {
        steps[m].push(await stepsOf(jobId));
        await handle.executeUpdate(destroyNowUpdate, { args: [{ reason: 'bench' }] });
        await handle.result();
        return job.seconds;
      }
      if (job && ['failed', 'cancelled'].includes(job.status)) throw new Error(`a ${m} run ended ${job.status}`);
      if (Date.now() > deadline) throw new Error(`a ${m} run did not complete in 5 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    for (const m of modules) await provision(m);
    for (const m of modules) steps[m] = [];
    const seconds: Record<(typeof modules)[number], number[]> = { terraform_data: [], localcloud: [] };
    const loads: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const m of round % 2 === 0 ? modules : [...modules].reverse()) seconds[m].push(await provision(m));
      loads.push(load1());
      say(
        `engine round ${round + 1}/${rounds}: ${modules.map((m) => `${m} ${seconds[m].at(-1)!.toFixed(2)} s`).join(', ')} (load ${loads.at(-1)})`,
      );
    }
    const summary = (m: (typeof modules)[number]) => ({
      seconds: seconds[m].map(round2),
      medianSeconds: round2(median(seconds[m])),
      stepMedians: Object.fromEntries(
        Object.keys(steps[m][0] ?? {}).map((step) => [step, round2(median(steps[m].map((s) => s[step] ?? 0)))]),
      ),
    });
    const report = { terraform_data: summary('terraform_data'), localcloud: summary('localcloud') };
    return {
      rounds,
      ratio: round2(report.localcloud.medianSeconds / report.terraform_data.medianSeconds),
      modules: report,
      load1: loads,
    };
  } finally {
    await client.connection.close();
    await pg.end();
    await db.destroy();
  }
}

/** The terraform_data module's terraform/ (from git), extracted once under workRoot. */
let extracted: Promise<string> | undefined;
function terraformDataModule(workRoot: string): Promise<string> {
  return (extracted ??= checkoutTerraform(join(workRoot, 'terraform-data-module'), TERRAFORM_DATA_COMMIT));
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
