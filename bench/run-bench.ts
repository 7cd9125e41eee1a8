import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { projectRoot } from '../scripts/stack/project-paths';
import { provisioningWorkflowId } from '../src/domain/workflow-ids';
import { engineDataConverter } from '../src/temporal/engine-data-converter';
import { activityAttempts } from './activity-attempts';
import { submit, submitHeaders, waitCompleted } from './engine-runs';
import { burst, call, closedLoop, type LoadResult } from './load';
import { compareLocalModules, compareLocalModulesInEngine } from './local-modules';
import { cpuSeconds, load1, totalCpuSeconds } from './proc-stats';
import { rawProvisioning } from './raw-tofu-loop';
import { writeBenchmarksDoc, type BenchResult, type Sample } from './report';
import { aSubmitBody } from './requests';
import { sleepingEnvironments } from './sleeping-environments';
import { BENCH_ENCRYPTION_KEY, startBenchStack, type BenchStack } from './stack';

// `npm run bench` (quick) or `npm run bench -- --full`; `--label before|after` names the column
// the run fills in docs/benchmarks.md (default: after). Each figure is measured side by side
// with its floor in this one run; the ratios engine/floor are what the targets are about.

const FULL = process.argv.includes('--full');
const LABEL = argValue('--label') ?? 'after';
const SIZES = FULL
  ? { loadSeconds: 20, burst: 200, c1Runs: 4, c5Runs: 10, sleeping: 2000, moduleRounds: 31, engineModuleRounds: 21 }
  : { loadSeconds: 6, burst: 50, c1Runs: 2, c5Runs: 5, sleeping: 200, moduleRounds: 15, engineModuleRounds: 11 };

/** `--only status,health,burst,provisioning,sleeping,local-modules,local-modules-engine`: measures these again, into the label's result. */
const ONLY = argValue('--only')?.split(',');
const runs = (section: string) => !ONLY || ONLY.includes(section);

const say = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

async function main(): Promise<void> {
  say(`${FULL ? 'full' : 'quick'} run, label ${LABEL}; starting the stack`);
  const stack = await startBenchStack();
  // Ctrl-C stops what the bench started (Temporal runs in its own process group).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  const result: BenchResult = {
    label: LABEL,
    mode: FULL ? 'full' : 'quick',
    at: new Date().toISOString(),
    sizes: SIZES,
    figures: {},
  };
  try {
    const agent = new Agent({ keepAlive: true });
    if (runs('status')) {
      // One job, completed, whose status both servers answer.
      const jobId = await submit(agent, stack.gatewayUrl);
      await waitCompleted(stack.databaseUrl, [jobId], 300_000);
      await measureStatus(stack, jobId, result);
    }
    if (runs('health')) await measureHealth(stack, result);
    if (runs('burst')) await measureBurst(stack, result);
    if (runs('provisioning')) await measureProvisioning(stack, result);
    if (runs('local-modules')) {
      say(`local stack: localcloud provider vs terraform_data, ${SIZES.moduleRounds} rounds, interleaved`);
      result.figures.localModules = await compareLocalModules(
        { serverUrl: stack.serverUrl, workRoot: join(stack.dir, 'local-modules') },
        SIZES.moduleRounds,
        say,
      );
      say(JSON.stringify(result.figures.localModules));
    }
    if (runs('local-modules-engine')) {
      say(`local stack through the engine: localcloud vs terraform_data, ${SIZES.engineModuleRounds} rounds`);
      result.figures.localModulesEngine = await compareLocalModulesInEngine(
        stack,
        join(stack.dir, 'local-modules'),
        SIZES.engineModuleRounds,
        say,
      );
      say(JSON.stringify(result.figures.localModulesEngine));
    }
    if (runs('sleeping')) {
      say('sleeping environments');
      result.figures.sleeping = await sleepingEnvironments(stack, [10, SIZES.sleeping / 2, SIZES.sleeping]);
      say(JSON.stringify(result.figures.sleeping));
    }
    agent.destroy();
  } finally {
    await stack.stop();
  }
  const dir = join(projectRoot(), 'bench', 'results');
  const file = join(dir, `${LABEL}-${result.mode}.json`);
  if (ONLY && existsSync(file)) {
    // A part measured again: it replaces that part of the label's earlier result.
    const earlier = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
    Object.assign(earlier.figures, result.figures);
    const again = new Set([...(earlier.remeasured?.sections ?? []), ...ONLY]);
    earlier.remeasured = { sections: [...again], at: result.at };
    Object.assign(result, earlier);
  }
  mkdirSync(dir, { recursive: true });
  const prettier = await import('prettier');
  writeFileSync(file, await prettier.format(JSON.stringify(result), { parser: 'json', printWidth: 120 }));
  await writeBenchmarksDoc(dir, join(projectRoot(), 'docs', 'benchmarks.md'));
  say(`results in bench/results/${LABEL}-${result.mode}.json and docs/benchmarks.md`);
}

/** GET status at 50 connections: the engine, then the floor answering the same row. */
async function measureStatus(stack: BenchStack, jobId: string, result: BenchResult): Promise<void> {
  say('GET status, 50 connections');
  const engine = await measured([stack.pids.gateway], (seconds) =>
    closedLoop(`${stack.gatewayUrl}/api/v1/provisioning/status/${jobId}`, {
      connections: 50,
      seconds,
      headers: { 'x-api-key': submitHeaders['x-api-key'] },
    }),
  );
  const floor = await measured([stack.pids.floor], (seconds) =>
    closedLoop(`${stack.floorUrl}/status/${jobId}`, { connections: 50, seconds }),
  );
  result.figures.status = { engine, floor };
  say(JSON.stringify(result.figures.status));
}

/**
 * GET health at 10 connections: CPU per request of the gateway and of the Temporal server it
 * asks. The Temporal server also works while idle (the worker's long polls): its CPU over an
 * equal idle window just before is taken off, so only what health costs it is counted.
 */
async function measureHealth(stack: BenchStack, result: BenchResult): Promise<void> {
  say('GET health, 10 connections');
  const idle0 = cpuSeconds(stack.pids.temporal);
  await new Promise((r) => setTimeout(r, SIZES.loadSeconds * 1000));
  const temporalIdleCpu = cpuSeconds(stack.pids.temporal) - idle0;
  const engine = await measured(
    [stack.pids.gateway, stack.pids.temporal],
    (seconds) => closedLoop(`${stack.gatewayUrl}/api/v1/health`, { connections: 10, seconds }),
    temporalIdleCpu,
  );
  const floor = await measured([stack.pids.floor], (seconds) =>
    closedLoop(`${stack.floorUrl}/health`, { connections: 10, seconds }),
  );
  result.figures.health = { engine, floor };
  say(JSON.stringify(result.figures.health));
}

/** A burst of submits, and the same burst of INSERTs through the floor; then every job to completed. */
async function measureBurst(stack: BenchStack, result: BenchResult): Promise<void> {
  say(`burst of ${SIZES.burst} submits`);
  const bodies = Array.from({ length: SIZES.burst }, () => aSubmitBody());
  const started = load1();
  const engine = await burst(SIZES.burst, (agent, i) =>
    call(agent, `${stack.gatewayUrl}/api/v1/provisioning/provision`, {
      method: 'POST',
      headers: submitHeaders,
      body: JSON.stringify(bodies[i]),
    }),
  );
  const floor = await burst(SIZES.burst, (agent, i) =>
    call(agent, `${stack.floorUrl}/insert`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bodies[i]),
    }),
  );
  const jobIds = engine.bodies.flatMap((b) => {
    try {
      return [(JSON.parse(b) as { job_id: string }).job_id];
    } catch {
      return [];
    }
  });
  say(`burst answered (p99 ${engine.p99Ms} ms vs floor ${floor.p99Ms} ms); waiting for ${jobIds.length} jobs`);
  const waitStarted = Date.now();
  let completed = true;
  try {
    await waitCompleted(stack.databaseUrl, jobIds, SIZES.burst * 30_000);
  } catch (err) {
    say(String(err));
    completed = false;
  }
  const client = new Client({
    connection: await Connection.connect({ address: stack.temporalAddress }),
    dataConverter: engineDataConverter(Buffer.from(BENCH_ENCRYPTION_KEY, 'base64')),
  });
  const attempts = await activityAttempts(
    client,
    bodies.map((b) => provisioningWorkflowId(b.tenant_id as string)),
  );
  await client.connection.close();
  const { bodies: _e, ...engineFigures } = engine;
  const { bodies: _f, ...floorFigures } = floor;
  result.figures.burst = {
    engine: { ...engineFigures, load1: started },
    floor: floorFigures,
    accepted: jobIds.length,
    allCompleted: completed && jobIds.length === SIZES.burst,
    secondsToAllCompleted: Math.round((Date.now() - waitStarted) / 1000),
    attempts,
  };
  say(JSON.stringify(result.figures.burst));
}

/** Provisionings of the local stack: c=1 (CPU and wall time each) and c=5 (throughput). */
async function measureProvisioning(stack: BenchStack, result: BenchResult): Promise<void> {
  const enginePids = [stack.pids.gateway, stack.pids.worker, stack.pids.temporal];
  const agent = new Agent({ keepAlive: true });
  const engineRuns = async (n: number) => {
    const ids = await Promise.all(Array.from({ length: n }, () => submit(agent, stack.gatewayUrl)));
    await waitCompleted(stack.databaseUrl, ids, 600_000);
  };
  const raw = { serverUrl: stack.serverUrl, workRoot: join(stack.dir, 'raw') };
  const destroys: Array<() => Promise<void>> = [];
  let index = 0;
  const rawRuns = async (n: number) => {
    destroys.push(...(await Promise.all(Array.from({ length: n }, () => rawProvisioning(raw, index++)))));
  };
  say(`provisioning c=1, ${SIZES.c1Runs} runs each`);
  const c1 = { engine: [] as Sample[], floor: [] as Sample[] };
  for (let i = 0; i < SIZES.c1Runs; i++) {
    c1.engine.push(await sample(enginePids, () => engineRuns(1)));
    c1.floor.push(await sample(['self'], () => rawRuns(1)));
  }
  say(`provisioning c=5, ${SIZES.c5Runs} runs each`);
  const c5 = {
    engine: await sample(enginePids, async () => {
      for (let done = 0; done < SIZES.c5Runs; done += 5) await engineRuns(Math.min(5, SIZES.c5Runs - done));
    }),
    floor: await sample(['self'], async () => {
      for (let done = 0; done < SIZES.c5Runs; done += 5) await rawRuns(Math.min(5, SIZES.c5Runs - done));
    }),
  };
  for (const destroy of destroys) await destroy();
  agent.destroy();
  const mean = (xs: Sample[], k: keyof Sample) => round(xs.reduce((s, x) => s + x[k], 0) / xs.length);
  result.figures.provisioning = {
    c1: {
      engine: { cpuSeconds: mean(c1.engine, 'cpuSeconds'), wallSeconds: mean(c1.engine, 'wallSeconds') },
      floor: { cpuSeconds: mean(c1.floor, 'cpuSeconds'), wallSeconds: mean(c1.floor, 'wallSeconds') },
      load1: mean(c1.engine, 'load1'),
    },
    c5: {
      engine: { perMinute: round((SIZES.c5Runs / c5.engine.wallSeconds) * 60), ...c5.engine },
      floor: { perMinute: round((SIZES.c5Runs / c5.floor.wallSeconds) * 60), ...c5.floor },
    },
  };
  say(JSON.stringify(result.figures.provisioning));
}

/** Wall time and CPU of `pids` (with their waited-for children) while `work` runs. */
async function sample(pids: Array<number | 'self'>, work: () => Promise<void>): Promise<Sample> {
  const cpu0 = totalCpuSeconds(pids);
  const t0 = performance.now();
  await work();
  return {
    cpuSeconds: round(totalCpuSeconds(pids) - cpu0),
    wallSeconds: round((performance.now() - t0) / 1000),
    load1: load1(),
  };
}

/** A load run with the CPU its servers used per request (in µs; less `idleCpuSeconds`) and the load average. */
async function measured(pids: number[], run: (seconds: number) => Promise<LoadResult>, idleCpuSeconds = 0) {
  // Warm-up: connections open, code paths compiled.
  await run(1);
  const cpu0 = pids.reduce((s, p) => s + cpuSeconds(p), 0);
  const res = await run(SIZES.loadSeconds);
  const cpu = Math.max(0, pids.reduce((s, p) => s + cpuSeconds(p), 0) - cpu0 - idleCpuSeconds);
  return { ...res, cpuMicrosPerRequest: Math.round((cpu / Math.max(1, res.requests)) * 1e6), load1: load1() };
}

const round = (n: number) => Math.round(n * 100) / 100;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

main().catch((err: unknown) => {
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
