import { runResolveCached } from './resolve-cached.js';
await runResolveCached({ names: 10000, seconds: 3, memoryNames: 1000, write: (t) => { if (t.includes('whole results')) process.stdout.write(t); } });
