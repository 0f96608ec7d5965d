// matrix-delegation: the library entry point, everything at once (each part is also its own entry: /resolver, /client,
// /checker, /server and /testing, which load only what that part needs).

export * from './resolver/index.js';
export * from './client/index.js';
export * from './checker/index.js';
export * from './server/index.js';
