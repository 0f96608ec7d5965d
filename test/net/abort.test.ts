// untilAborted: a wait on a promise that cannot be cancelled, cut short by an AbortSignal.

import { describe, expect, it, vi } from 'vitest';
import { untilAborted } from '../../src/net/abort.js';

/** A promise settled by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('untilAborted', () => {
  it('settles like the promise when the signal never aborts (or there is none)', async () => {
    const controller = new AbortController();
    await expect(untilAborted(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow('no');
    const plain = Promise.resolve('same');
    expect(untilAborted(plain, undefined)).toBe(plain);
  });

  it("rejects with the signal's reason as soon as it aborts, and calls onAbort once", async () => {
    const controller = new AbortController();
    const pending = deferred<number>();
    const onAbort = vi.fn();
    const waiting = untilAborted(pending.promise, controller.signal, onAbort);
    const reason = new Error('gave up');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(onAbort).toHaveBeenCalledTimes(1);
    // The promise settling later changes nothing, and its rejection is not left unhandled.
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    pending.reject(new Error('late'));
    await new Promise((r) => setTimeout(r, 10));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
    expect(onAbort).toHaveBeenCalledTimes(1);
  });

  it('rejects at once for a signal already aborted', async () => {
    const onAbort = vi.fn();
    const reason = new Error('before');
    await expect(untilAborted(new Promise<never>(() => undefined), AbortSignal.abort(reason), onAbort)).rejects.toBe(
      reason,
    );
    expect(onAbort).toHaveBeenCalledTimes(1);
  });

  it('does not call onAbort, nor keep its listener, when the promise wins', async () => {
    const controller = new AbortController();
    const onAbort = vi.fn();
    await expect(untilAborted(Promise.resolve(1), controller.signal, onAbort)).resolves.toBe(1);
    controller.abort(new Error('after'));
    expect(onAbort).not.toHaveBeenCalled();
  });
});
