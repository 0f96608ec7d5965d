// One-shot commands: WebAssembly compiled by V8's baseline compiler only, so that the process ends when its work does.

/**
 * Makes V8 compile WebAssembly with its baseline compiler (Liftoff) only, for the rest of the process. undici parses
 * HTTP with llhttp compiled to WebAssembly; by default V8 then recompiles it in the background with its optimising
 * compiler, and Node waits for those jobs before the process can end: about 90 ms after a one-shot command's last
 * output on the reference machine (BENCHMARKS.md, resolve-latency --cli), for code that parses a few responses and is
 * never run again. Call it before the first HTTP request of a command that ends with its work; never in `serve`,
 * whose parser runs for days. Loads `node:v8` (about 1.5 ms), so only the commands that will make a request call it.
 *
 * @example
 * ```ts
 * await compileForQuickExit();
 * const response = await client.fetch(serverName, path);
 * ```
 */
export async function compileForQuickExit(): Promise<void> {
  const { setFlagsFromString } = await import('node:v8');
  // A flag V8 reads when it compiles a WebAssembly module; setting it later changes only modules compiled from then on.
  setFlagsFromString('--liftoff-only');
}
