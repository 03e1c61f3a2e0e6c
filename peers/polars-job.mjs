// Polars (nodejs-polars) peer job, the seed's way: inflate the zip entry into memory, read the CSV
// from those bytes, group by (sku_id, transaction_date) with sum(quantity_sold), sum(revenue_usd)
// and count; incremental keeps only transaction_date > --after first (dates compare as ISO text).
import pl from 'nodejs-polars';

import {packageVersion, runJob, startupResult, Timer} from './lib/job.mjs';
import {readCsvBuffer} from './lib/zip.mjs';

await runJob(async (args) => {
  if (args.mode === 'startup') return startupResult('polars', packageVersion('nodejs-polars'));
  const t = new Timer();
  const csv = readCsvBuffer(args.zip);
  t.lap('unzip');
  const df = pl.readCSV(csv, {hasHeader: true});
  t.lap('read_csv');
  let rows = df.lazy();
  if (args.mode === 'incremental')
    rows = rows.filter(pl.col('transaction_date').gt(pl.lit(args.after)));
  const groups = await rows.groupBy(['sku_id', 'transaction_date'])
                     .agg(
                         pl.col('quantity_sold').sum().alias('total_quantity'),
                         pl.col('revenue_usd').sum().alias('total_revenue'),
                         pl.len().alias('order_count'),
                         )
                     .collect();
  t.lap('group_by');
  const sums = groups.select(pl.col('total_quantity').sum(), pl.col('order_count').sum());
  return {
    engine: 'polars',
    version: packageVersion('nodejs-polars'),
    mode: args.mode,
    rows_read: df.height,
    rows_used: Number(sums.getColumn('order_count').get(0) ?? 0),
    groups: groups.height,
    total_quantity: Number(sums.getColumn('total_quantity').get(0) ?? 0),
    total_ms: t.total(),
    phases_ms: t.phases,
  };
});
