import { runSaturation } from '/work/main/soak/case-saturation.js';
import { renderTable } from '/work/main/soak/report.js';
const r = await runSaturation((l) => console.log(l), { warmUpS: 3, durationS: 8, connections: 64, maxGrowthMib: 30 });
console.log(renderTable([r])); console.log(r.notes);
