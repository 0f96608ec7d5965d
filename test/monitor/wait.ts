// Test helper: waits for a condition, polling, with a generous bound that only proves "does not hang".

/** Polls `condition` every 25 ms until it holds; fails naming `what` after `timeoutMs` [20 s]. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * {@link waitFor} for a condition that needs to await (an HTTP request); `explain`, when given, adds what it returns
 * to the failure message (the state of the thing waited for).
 */
export async function waitForAsync(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  explain?: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${explain === undefined ? '' : ` (${await explain()})`}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
