// The well-known fetch's HTTP client, undici's Client, in a module of its own so that the fetch can load it on first use.

// Re-exported statically rather than imported with import('undici') where it is used: a dynamic import of a CommonJS
// package yields its named exports under Node, but only a default export in the bundled command line.
export { Client } from 'undici';
