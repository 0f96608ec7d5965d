// Test helper: waits for a condition, polling, with a generous bound that only proves "does not hang".

/** Polls `condition` every 25 ms until it holds; fails naming `what` after `timeoutMs` [20 s]. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
