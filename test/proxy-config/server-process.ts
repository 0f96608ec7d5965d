// Test helper: web server processes (nginx, Caddy, httpd, HAProxy); it lives in support/ since the soak uses it too.

export { findServerBinary, startServerProcess } from '../../support/server-process.js';
export type { ServerProcess } from '../../support/server-process.js';
