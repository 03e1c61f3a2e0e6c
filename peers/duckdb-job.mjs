// DuckDB (@duckdb/node-api) peer job: DuckDB cannot read a zip, so the entry is streamed (inflated)
// to a temporary CSV under --tmp first — timed as part of the job — then read_csv + GROUP BY
// (sku_id, transaction_date) with sum(quantity_sold), sum(revenue_usd), count(*); incremental adds
// WHERE transaction_date > --after (the seed's method). The temporary file is removed.
import {DuckDBInstance} from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {packageVersion, runJob, startupResult, Timer} from './lib/job.mjs';
import {extractCsvTo} from './lib/zip.mjs';

await runJob(async (args) => {
  if (args.mode === 'startup') return startupResult('duckdb', packageVersion('@duckdb/node-api'));
  const dir = fs.mkdtempSync(path.join(args.tmp || os.tmpdir(), 'duckdb-peer-'));
  try {
    const t = new Timer();
    const csv = path.join(dir, 'transactions.csv');
    await extractCsvTo(args.zip, csv);
    t.lap('unzip');
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    const source = `read_csv('${csv.replaceAll('\'', '\'\'')}', header = true)`;
    const where =
        args.mode === 'incremental' ? `WHERE transaction_date > DATE '${args.after}'` : '';
    await db.run(`CREATE TEMP TABLE g AS
      SELECT sku_id, transaction_date, sum(quantity_sold) AS total_quantity,
             sum(revenue_usd) AS total_revenue, count(*) AS order_count
      FROM ${source} ${where} GROUP BY sku_id, transaction_date`);
    t.lap('read_group_by');
    const summary = await db.runAndReadAll(
        'SELECT count(*) AS groups, sum(total_quantity) AS q, sum(order_count) AS n FROM g');
    const [groups, quantity, used] = summary.getRowsJS()[0];
    // Rows read: known for full (every row is used); for incremental it would need a second scan,
    // which the job does not pay for, so it is reported as null.
    const read = args.mode === 'full' ? Number(used ?? 0) : null;
    return {
      engine: 'duckdb',
      version: packageVersion('@duckdb/node-api'),
      mode: args.mode,
      rows_read: read,
      rows_used: Number(used ?? 0),
      groups: Number(groups),
      total_quantity: Number(quantity ?? 0),
      total_ms: t.total(),
      phases_ms: t.phases,
    };
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
});
