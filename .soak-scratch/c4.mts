import { runTesterCase, TESTER_DEFAULTS } from '/work/main/soak/case-tester.js';
import { renderTable } from '/work/main/soak/report.js';
const r = await runTesterCase((l) => console.log(l), { ...TESTER_DEFAULTS, privateRounds: 3 });
console.log(renderTable([r])); console.log(r.notes);
