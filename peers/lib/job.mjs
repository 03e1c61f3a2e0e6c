// Shared plumbing of the peer jobs: arguments, timing, the one JSON line `snapdelta bench` reads.
// Usage of a job: node <engine>-job.mjs --zip FILE --mode full|incremental|startup
//                 [--after YYYY-MM-DD] [--tmp DIR]
// startup: load node and the engine, do no work — the floor under the other two modes.
// Output (stdout, one JSON object): engine, version, mode, rows_read, rows_used, groups,
// total_quantity, total_ms (measured in-script, from before unzip to after the group by),
// phases_ms. Errors: one line on stderr, exit 2.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function parseArgs(argv) {
  const args = { zip: '', mode: 'full', after: '', tmp: '' };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in args) || i + 1 >= argv.length) fail(`unexpected argument ${argv[i]}`);
    args[key] = argv[++i];
  }
  if (!args.zip) fail('--zip FILE is required');
  if (!['full', 'incremental', 'startup'].includes(args.mode)) {
    fail(`--mode: expected full|incremental|startup, found ${args.mode}`);
  }
  if (args.mode === 'incremental' && !/^\d{4}-\d{2}-\d{2}$/.test(args.after)) {
    fail(`--after: expected YYYY-MM-DD for incremental, found "${args.after}"`);
  }
  return args;
}

export function fail(message) {
  process.stderr.write(`${process.argv[1] ?? 'peer'}: ${message}\n`);
  process.exit(2);
}

export function packageVersion(name) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(here, '..', 'node_modules', name, 'package.json'), 'utf8'));
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

// What a startup run reports: the engine is loaded (static imports), nothing is read.
export function startupResult(engine, version) {
  return {
    engine, version, mode: 'startup', rows_read: 0, rows_used: 0, groups: 0, total_quantity: 0,
    total_ms: 0, phases_ms: {},
  };
}

export class Timer {
  constructor() { this.start = process.hrtime.bigint(); this.last = this.start; this.phases = {}; }
  lap(name) {
    const now = process.hrtime.bigint();
    this.phases[name] = Number(now - this.last) / 1e6;
    this.last = now;
  }
  total() { return Number(this.last - this.start) / 1e6; }
}

export async function runJob(main) {
  try {
    const result = await main(parseArgs(process.argv.slice(2)));
    process.stdout.write(JSON.stringify(result) + '\n');
  } catch (e) {
    fail(String(e?.message ?? e).split('\n')[0]);
  }
}
