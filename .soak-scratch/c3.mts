import { runReload } from '/work/main/soak/case-reload.js';
import { renderTable } from '/work/main/soak/report.js';
const r = await runReload((l) => console.log(l), { reloads: 4, spacingMs: 1200, marginS: 2 });
console.log(renderTable([r])); console.log(r.notes);
