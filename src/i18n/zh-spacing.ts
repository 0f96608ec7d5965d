// The house style's space between Chinese and Latin text where a value meets a message: the `zh` tagged template.

const HAN_CHAR = /\p{Script=Han}/u;
/** Printable ASCII but the space: a Latin letter, a digit, or the start or end of a code, a path, a value. */
const LATIN_CHAR = /[!-~]/;

/**
 * Whether a space goes between `before` (the last character so far) and `after` (the next one): a Han character
 * meeting a Latin one, either way round (CONTRIBUTING "Languages", Chinese text style).
 */
export function needsSpace(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  return (HAN_CHAR.test(before) && LATIN_CHAR.test(after)) || (LATIN_CHAR.test(before) && HAN_CHAR.test(after));
}

/**
 * A tagged template for Chinese messages: puts a space between a Han character and a Latin one (a letter, a digit,
 * code) where a value meets the text around it, as the house style writes them (`连接 matrix.example.com 的 8448
 * 端口`), so a message need not know whether a value starts with a host name or with Chinese words. The text of
 * the template itself is left as written. It lives here, below every catalogue, so that a catalogue beside the module
 * that writes its English (src/check-report/) can use it as the diagnosis does.
 *
 * @example
 * ```ts
 * zh`连接${'matrix.example.com'}的${8448}端口`; // '连接 matrix.example.com 的 8448 端口'
 * zh`回退到${'服务器名的 SRV 记录'}。`; // '回退到服务器名的 SRV 记录。'
 * ```
 */
export function zh(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  let out = strings[0] ?? '';
  values.forEach((raw, i) => {
    const value = String(raw);
    const next = strings[i + 1] ?? '';
    if (value !== '' && needsSpace(out.at(-1), value[0])) out += ' ';
    out += value;
    if (value !== '' && needsSpace(value.at(-1), next[0])) out += ' ';
    out += next;
  });
  return out;
}
