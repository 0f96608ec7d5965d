// The shipped systemd unit makes the whole file system read-only (ProtectSystem=strict, ProtectHome=yes): the monitor's
// default state file must land in the state directory the unit grants, which serve finds through $STATE_DIRECTORY.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { captureLogger, testConfig } from '../server/http-helpers.js';
import { startMonitorLab } from './monitor-lab.js';
import type { MonitorLab } from './monitor-lab.js';
import { waitFor } from './wait.js';

const UNIT = fileURLToPath(new URL('../../deploy/matrix-delegation.service', import.meta.url));

/** The unit's settings: key -> every value given. */
function unitSettings(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of readFileSync(UNIT, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('[')) continue;
    const eq = line.indexOf('=');
    out.set(line.slice(0, eq), [...(out.get(line.slice(0, eq)) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

let root: string;
let lab: MonitorLab;
let server: RunningServer | null = null;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'md-state-dir-'));
  lab = await startMonitorLab({ names: ['unit'] });
});

afterAll(async () => {
  await server?.close({ timeoutMs: 0 });
  await lab?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the monitor under deploy/matrix-delegation.service', () => {
  it('keeps its state in the StateDirectory= the unit grants, the rest of the file system being read-only', async () => {
    const unit = unitSettings();
    expect(unit.get('ProtectSystem')).toEqual(['strict']);
    const [stateDirectory] = unit.get('StateDirectory') ?? [];
    expect(stateDirectory, 'StateDirectory= in the unit').toBeDefined();
    // What systemd does for StateDirectory=NAME: creates /var/lib/NAME for the account and sets STATE_DIRECTORY to it
    // (here under a temporary root). Without it the default would be the account's home, hidden by ProtectHome=yes.
    const granted = join(root, 'var', 'lib', stateDirectory!);
    mkdirSync(granted, { recursive: true });
    server = await startServer(
      testConfig(['server_name: unit.example.org', 'monitor:', `  servers: [${lab.name('unit')}]`].join('\n')),
      {
        logger: captureLogger('error').logger,
        checkOptions: lab.checkOptions(),
        monitor: { intervalMs: 200, env: { STATE_DIRECTORY: granted } },
      },
    );
    await waitFor(() => server?.monitor?.name(lab.name('unit'))?.state?.last?.ok === true, 'a check');
    await waitFor(() => existsSync(join(granted, 'monitor-state.json')), 'the state file');
    const state = JSON.parse(readFileSync(join(granted, 'monitor-state.json'), 'utf8')) as { servers: object };
    expect(Object.keys(state.servers)).toEqual([lab.name('unit')]);
  });
});
