// Example values for a catalogue's completeness check, read off its English messages: every parameter a distinct value.

import type { Catalogue } from '../../src/i18n/index.js';

/**
 * One example per message of `english` that takes parameters: each parameter named in the message's source (`p.name`)
 * gets a distinct string (`name-7.example`), a list of two distinct strings where the message joins it, and `true`
 * where the message branches on it. `overrides` replaces the examples of some messages (values one language shows
 * inside another value, numbers a message computes with).
 */
export function examplesOf(english: Catalogue, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const examples: Record<string, unknown> = {};
  let n = 0;
  for (const [key, message] of Object.entries(english)) {
    if (typeof message !== 'function') continue;
    if (key in overrides) {
      examples[key] = overrides[key];
      continue;
    }
    const source = message.toString();
    const params: Record<string, unknown> = {};
    for (const [, name] of source.matchAll(/\bp\.(\w+)/g)) {
      if (name === undefined || name in params) continue;
      n += 1;
      if (new RegExp(`\\bp\\.${name}\\.join\\(`).test(source))
        params[name] = [`${name}-${n}a.example`, `${name}-${n}b.example`];
      else if (new RegExp(`\\bp\\.${name}\\s*\\?[^?.]`).test(source)) params[name] = true;
      else params[name] = `${name}-${n}.example`;
    }
    examples[key] = params;
  }
  return examples;
}

/**
 * The places where a Han character touches a Latin letter or a digit (CONTRIBUTING, "Chinese text style": a space goes
 * between them), each with a little context; empty when the text follows the style.
 */
export function spacingFaults(text: string): string[] {
  return [...text.matchAll(/\p{Script=Han}[A-Za-z0-9]|[A-Za-z0-9]\p{Script=Han}/gu)].map((m) =>
    text.slice(Math.max(0, m.index - 12), m.index + 14),
  );
}
