// matrix-delegation: the library entry point (re-exports the public API of each module).

export * from './errors.js';
