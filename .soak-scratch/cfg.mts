import { parseConfig } from '/work/main/src/server/config/index.js';
for (const y of [
 'server_name: example.org\ndelegation_target: "https://matrix.example.org/"\n',
 'server_name: example.org\nmetrics:\n  enabled: maybe\n',
 'server_name: example.org\nextra_well_known_client_content:\n  m.homeserver:\n    base_url: https://x.example/\npublic_baseurl: https://m.example.org/\n',
 '',
 'server_name: "bad name!"\n',
 'server_name: example.org\nlisteners:\n  - port: 99999\n',
 'server_name: example.org\ncache:\n  server_max_age_seconds: -5\n',
 'server_name: example.org\ntester:\n  rate_limit_per_minute: lots\n',
]) { const r = parseConfig(y, { sourceName: 'x' }); console.log(JSON.stringify(y.slice(0,60)), r.ok ? 'OK' : r.errors.map(e => e.code + ' ' + e.key).join('; ')); }
