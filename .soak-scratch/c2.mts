import { runMalformedCase } from '/work/main/soak/case-malformed.js';
import { renderTable } from '/work/main/soak/report.js';
const r = await runMalformedCase((l) => console.log(l), { count: 2000, concurrency: 50, slowConnections: 200, trickleIntervalMs: 1000, goodIntervalMs: 10 });
console.log(renderTable([r])); console.log(r.notes);
