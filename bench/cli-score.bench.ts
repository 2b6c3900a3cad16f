/**
 * `icp-sync score` on a million rows: generates a realistic 1,000,000-row CSV for the example model
 * in a temp dir, runs the real binary in a child process for each output format, and prints wall
 * time, rows/s and peak RSS. Targets: ≥ 150,000 rows/s and peak RSS < 200 MB.
 *
 * csv and json output of a file this size are scored on two threads (src/io/parallel-score.ts): a
 * worker thread and the main thread, which also cuts the parts and writes them in order;
 * `--format csv --threads 1` is also run, for the one-thread figure. "main thread" CPU is then the
 * main thread's share only; "CPU" counts all threads.
 *
 * Peak RSS comes from `/usr/bin/time -v` when present, else from polling the child's
 * /proc/<pid>/status VmHWM (the kernel's high-water mark) until it exits.
 * `BENCH_ROWS` overrides the row count; `BENCH_KEEP=1` keeps the generated file (for profiling).
 *
 * Peer: DuckDB (two threads) running the example model as one SQL query (bench/duckdb-score.ts) on
 * the same file, in alternating rounds with `--format csv`; the medians, their ratio (target: ours
 * ≥ 1.3× faster) and whether the two outputs are byte-identical are printed. Skipped with a note
 * when `@duckdb/node-api` is not installed (see bench/duckdb-score.ts). `BENCH_PEER_ROUNDS`: rounds
 * (default 3).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 as prng } from '../src/domain/prng.ts';
import { loadDuckDb } from './duckdb-score.ts';

const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const TARGET_ROWS_PER_S = 150_000;
const TARGET_RSS_MB = 200;
const TARGET_VS_DUCKDB = 1.3;
const PEER_ROUNDS = Number(process.env['BENCH_PEER_ROUNDS'] ?? 3);
const root = fileURLToPath(new URL('../', import.meta.url));


const INDUSTRIES = ['Software', 'IT Services', 'COMPUTER_SOFTWARE', 'Logiciel', 'Conseil', 'Retail', 'Construction', 'Finance', 'Industrie', 'Santé', ''];
const NAF = ['62.01Z', '58.29C', '62.02A', '63.11Z', '70.22Z', '47.71Z', '41.20A', '25.62B', '6201Z', ''];
const COUNTRIES = ['FR', 'France', 'FR', 'BE', 'Belgique', 'DEU', 'CH', 'LU', 'ES', 'GB', ''];
const CITIES = ['Paris', 'Lyon', 'Lille', 'Nantes', 'Bordeaux', 'Toulouse', 'Bruxelles', 'Genève', 'Saint-Étienne'];
const STACK = ['HubSpot', 'Salesforce', 'Pipedrive', 'AWS', 'Azure', 'SAP', 'Stripe', 'Segment', 'Zoho CRM'];
const FORMS = ['SAS', 'SARL', 'SA', 'GmbH', 'SRL', 'EURL'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** 12345000 → "12 345 000" (French) or "\"12,345,000\"" (English, quoted for CSV). */
function grouped(n: number, sep: string): string {
  const digits = String(n);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return out;
}

function revenue(rand: () => number): string {
  const euros = Math.floor(rand() * 80_000) * 1000;
  const r = rand();
  if (r < 0.4) return grouped(euros, ' ');
  if (r < 0.6) return `"${grouped(euros, ',')}"`;
  if (r < 0.95) return String(euros);
  return '';
}

function row(i: number, rand: () => number): string {
  const employees = rand() < 0.05 ? '' : String(Math.floor(rand() ** 2 * 3000) + 1);
  const stack = Array.from({ length: Math.floor(rand() * 4) }, () => pick(rand, STACK)).join(';');
  const founded = 1950 + Math.floor(rand() * 75);
  const name = rand() < 0.1 ? `"Dupont, ${pick(rand, FORMS)} ${i}"` : `Entreprise ${i} ${pick(rand, FORMS)}`;
  return [
    `acc-${i}`,
    name,
    `entreprise-${i}.fr`,
    pick(rand, INDUSTRIES),
    pick(rand, NAF),
    employees,
    revenue(rand),
    pick(rand, COUNTRIES),
    pick(rand, CITIES),
    String(founded),
    stack,
    rand() < 0.02 ? 'oui' : 'non',
    pick(rand, ['PME', 'PME', 'ETI', 'GE', '']),
    String(2026 - founded),
    rand() < 0.01 ? 'true' : '',
  ].join(',');
}

async function generate(path: string): Promise<void> {
  const rand = prng(20261126);
  const out = createWriteStream(path);
  const header =
    'id,name,domain,industry,naf,employees,annual_revenue,country,city,founded_year,tech_stack,is_competitor,company_category,company_age_years,is_closed\n';
  out.write(header);
  let buf = '';
  for (let i = 1; i <= ROWS; i++) {
    buf += `${row(i, rand)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

interface RunFigures {
  seconds: number;
  /** User + system CPU seconds of the child (from /usr/bin/time), all threads, when known. */
  cpuSeconds: number | undefined;
  /** CPU seconds of the main (JavaScript) thread alone, the part one core must do in sequence. */
  mainThreadSeconds: number | undefined;
  peakRssMb: number | undefined;
  code: number | null;
  stderrTail: string;
}

/** Clock ticks per second of /proc CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/** The Node.js process: the child itself, or the child of /usr/bin/time once it has started. */
function nodePid(childPid: number, viaTime: boolean): number | undefined {
  if (!viaTime) return childPid;
  try {
    const first = readFileSync(`/proc/${childPid}/task/${childPid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

/** utime + stime of one thread, in seconds (fields 14 and 15 of /proc/<pid>/task/<tid>/stat). */
function threadCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

function run(args: readonly string[]): Promise<RunFigures> {
  const useTime = existsSync('/usr/bin/time');
  const command = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime ? ['-v', process.execPath, ...args] : [...args];
  const started = performance.now();
  const child = spawn(command, argv, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let polledKb = 0;
  let pid: number | undefined;
  let mainThreadSeconds: number | undefined;
  // Polled until exit: VmHWM is the kernel's high-water mark, so the last reading is the peak
  // (bar the final 20 ms); the main thread's CPU time leaves out the GC helper threads.
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    pid ??= nodePid(child.pid, useTime);
    if (pid === undefined) return;
    mainThreadSeconds = threadCpuSeconds(pid) ?? mainThreadSeconds;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m?.[1]) polledKb = Math.max(polledKb, Number(m[1]));
    } catch {
      // The process has just exited.
    }
  }, 20);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(poll);
      const timeKb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
      const kb = timeKb === undefined ? polledKb : Number(timeKb);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1];
      const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1];
      const cpuSeconds = user === undefined || sys === undefined ? undefined : Number(user) + Number(sys);
      resolve({ seconds, cpuSeconds, mainThreadSeconds, peakRssMb: kb > 0 ? kb / 1024 : undefined, code, stderrTail: stderr.slice(0, 2000) });
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'icp-bench-cli-'));
try {
  const input = join(dir, 'companies.csv');
  const t0 = performance.now();
  await generate(input);
  const size = (await stat(input)).size;
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine`);
  console.log(`generated ${ROWS.toLocaleString('en-US')} rows (${(size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // The default run of each format (two threads for csv and json), then csv on one thread.
  const runs = [{ format: 'csv' }, { format: 'json' }, { format: 'table' }, { format: 'csv', threads: 1 }] as const;
  for (const { format, ...rest } of runs) {
    const threads = 'threads' in rest ? ['--threads', String(rest.threads)] : [];
    const label = `${format.padEnd(5)}${threads.length > 0 ? ` ${threads.join(' ')}` : ''}`;
    const args = ['bin/icp-sync.js', 'score', '--input', input, '--model', 'config/icp.example.yaml', '--format', format, '--output', '/dev/null', ...threads];
    const f = await run(args);
    if (f.code !== 0 && f.code !== 2) {
      console.error(`--format ${label}: exit ${f.code}\n${f.stderrTail}`);
      process.exitCode = 1;
      continue;
    }
    const rate = ROWS / f.seconds;
    const rss = f.peakRssMb === undefined ? 'n/a' : `${f.peakRssMb.toFixed(0)} MB`;
    // On a shared machine wall time includes waiting for a core; rows per CPU-second does not.
    const perSecond = (s: number): string => Math.round(ROWS / s).toLocaleString('en-US');
    const cpu =
      (f.cpuSeconds === undefined ? '' : `  CPU ${f.cpuSeconds.toFixed(2)} s (${perSecond(f.cpuSeconds)} rows/CPU-s)`) +
      (f.mainThreadSeconds === undefined ? '' : `  main thread ${f.mainThreadSeconds.toFixed(2)} s (${perSecond(f.mainThreadSeconds)} rows/s)`);
    const ok = rate >= TARGET_ROWS_PER_S && (f.peakRssMb ?? 0) < TARGET_RSS_MB ? 'meets' : 'MISSES';
    console.log(
      `--format ${label}  ${f.seconds.toFixed(2)} s  ${Math.round(rate).toLocaleString('en-US')} rows/s  peak RSS ${rss}${cpu}  (${ok} ≥${TARGET_ROWS_PER_S.toLocaleString('en-US')} rows/s, <${TARGET_RSS_MB} MB)`,
    );
  }
  await versusDuckDb(dir, input);
} finally {
  if (process.env['BENCH_KEEP'] === '1') console.log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.size !== sb.size) return false;
  const ra = createReadStream(a, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  const rb = createReadStream(b, { highWaterMark: 1 << 20 });
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of rb) {
    let other = chunk as Buffer;
    while (other.length > 0) {
      if (pending.length === 0) {
        const next = await ra.next();
        if (next.done === true) return false;
        pending = next.value as Buffer;
      }
      const n = Math.min(pending.length, other.length);
      if (!pending.subarray(0, n).equals(other.subarray(0, n))) return false;
      pending = pending.subarray(n);
      other = other.subarray(n);
    }
  }
  return pending.length === 0 && (await ra.next()).done === true;
}

/** Ours (`--format csv` to a file) and DuckDB's query, in alternating rounds; medians and ratio. */
async function versusDuckDb(dir: string, input: string): Promise<void> {
  if ((await loadDuckDb()) === undefined) {
    console.log(`peer DuckDB: not run, @duckdb/node-api is not installed (npm install --no-save @duckdb/node-api@1.5.6-r.1, or BENCH_DUCKDB_DIR)`);
    return;
  }
  const oursOut = join(dir, 'ours.csv');
  const peerOut = join(dir, 'duckdb.csv');
  const ours: RunFigures[] = [];
  const peer: RunFigures[] = [];
  for (let round = 0; round < PEER_ROUNDS; round++) {
    await rm(oursOut, { force: true });
    await rm(peerOut, { force: true });
    ours.push(await run(['bin/icp-sync.js', 'score', '--input', input, '--model', 'config/icp.example.yaml', '--format', 'csv', '--output', oursOut]));
    peer.push(await run(['bench/duckdb-score.ts', input, peerOut, '2']));
  }
  const failed = [...ours, ...peer].find((f) => f.code !== 0 && f.code !== 2);
  if (failed !== undefined) {
    console.error(`peer comparison: a run exited ${failed.code}\n${failed.stderrTail}`);
    process.exitCode = 1;
    return;
  }
  const identical = await sameBytes(oursOut, peerOut);
  const show = (name: string, f: RunFigures[]): string => {
    const wall = median(f.map((x) => x.seconds));
    const cpu = f.every((x) => x.cpuSeconds !== undefined) ? `  CPU ${median(f.map((x) => x.cpuSeconds as number)).toFixed(2)} s` : '';
    const rss = f.every((x) => x.peakRssMb !== undefined) ? `  peak RSS ${median(f.map((x) => x.peakRssMb as number)).toFixed(0)} MB` : '';
    return `${name}  ${wall.toFixed(2)} s  ${Math.round(ROWS / wall).toLocaleString('en-US')} rows/s${cpu}${rss}`;
  };
  console.log(`peer, ${PEER_ROUNDS} alternating rounds (medians), --format csv to a file:`);
  console.log(`  ${show('icp-sync score      ', ours)}`);
  console.log(`  ${show('DuckDB, 2 threads   ', peer)}`);
  const ratio = median(peer.map((x) => x.seconds)) / median(ours.map((x) => x.seconds));
  const cpuKnown = [...ours, ...peer].every((x) => x.cpuSeconds !== undefined);
  const cpuRatio = cpuKnown ? median(peer.map((x) => x.cpuSeconds as number)) / median(ours.map((x) => x.cpuSeconds as number)) : undefined;
  console.log(
    `  icp-sync score vs DuckDB: ${ratio.toFixed(2)}× wall${cpuRatio === undefined ? '' : `, ${cpuRatio.toFixed(2)}× CPU`} (${ratio >= TARGET_VS_DUCKDB ? 'meets' : 'MISSES'} ≥${TARGET_VS_DUCKDB}×); outputs ${identical ? 'byte-identical' : 'DIFFER'}`,
  );
  if (!identical) process.exitCode = 1;
}
