import { runBatchCase } from '/work/main/soak/case-batch.js';
import { renderTable } from '/work/main/soak/report.js';
const r = await runBatchCase((l) => console.log(new Date().toISOString(), l), { names: 2000, concurrency: 32, warmUpLines: 200, maxGrowthMib: 30 });
console.log(renderTable([r])); console.log(r.notes);
