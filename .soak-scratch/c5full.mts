import { runBatchCase } from '/work/main/soak/case-batch.js';
import { renderTable } from '/work/main/soak/report.js';
import * as rss from '/work/main/soak/rss.js';
const r = await runBatchCase((l) => console.log(new Date().toISOString(), l));
console.log(renderTable([r]));
