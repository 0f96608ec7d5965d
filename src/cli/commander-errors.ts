// commander's usage errors in the command line's language: its English text read back into a message and its values.

import type { Locale } from '../i18n/locale.js';
import { cliText } from './cli-texts.js';

/**
 * One of commander's usage errors, with the values its text names (commander 14: `Command.error` is given only the
 * finished English text and a code, so the text is what there is to read).
 */
export type CommanderUsageError =
  | { readonly kind: 'unknownOption'; readonly option: string; readonly suggestions: readonly string[] }
  | { readonly kind: 'unknownCommand'; readonly command: string; readonly suggestions: readonly string[] }
  | { readonly kind: 'missingArgument'; readonly argument: string }
  | { readonly kind: 'optionMissingArgument'; readonly option: string }
  | { readonly kind: 'missingMandatoryOption'; readonly option: string }
  | { readonly kind: 'conflictingOption'; readonly option: string; readonly other: string }
  | {
      readonly kind: 'excessArguments';
      readonly command: string | null;
      readonly expected: number;
      readonly received: number;
    }
  | { readonly kind: 'invalidOptionValue'; readonly option: string; readonly value: string; readonly reason: Reason }
  | {
      readonly kind: 'invalidArgumentValue';
      readonly argument: string;
      readonly value: string;
      readonly reason: Reason;
    };

/** Why a value was refused: commander's list of choices, or the text of our own check (already in the language). */
type Reason = { readonly choices: readonly string[] } | { readonly text: string };

/** `\n(Did you mean X?)` / `\n(Did you mean one of X, Y?)` at the end of an unknown option or command. */
const SUGGESTION = /\n\(Did you mean (?:one of )?(.+)\?\)$/s;

function reasonOf(text: string): Reason {
  const choices = /^Allowed choices are (.*)\.$/s.exec(text);
  return choices ? { choices: choices[1]!.split(', ') } : { text };
}

/**
 * Reads commander's error text (`error: ...`, without the trailing newline) back into the error it describes, or
 * null when the text is none of those (a later commander wording): the caller then prints it as it is.
 */
export function parseCommanderError(text: string): CommanderUsageError | null {
  if (!text.startsWith('error: ')) return null;
  const body = text.slice('error: '.length);
  const suggestion = SUGGESTION.exec(body);
  const head = suggestion ? body.slice(0, suggestion.index) : body;
  const suggestions = suggestion ? suggestion[1]!.split(', ') : [];
  let m: RegExpExecArray | null;
  if ((m = /^unknown option '(.*)'$/s.exec(head))) return { kind: 'unknownOption', option: m[1]!, suggestions };
  if ((m = /^unknown command '(.*)'$/s.exec(head))) return { kind: 'unknownCommand', command: m[1]!, suggestions };
  if (suggestion) return null;
  if ((m = /^missing required argument '(.*)'$/s.exec(head))) return { kind: 'missingArgument', argument: m[1]! };
  if ((m = /^option '(.*)' argument missing$/s.exec(head))) return { kind: 'optionMissingArgument', option: m[1]! };
  if ((m = /^required option '(.*)' not specified$/s.exec(head)))
    return { kind: 'missingMandatoryOption', option: m[1]! };
  if ((m = /^option '(.*)' cannot be used with option '(.*)'$/s.exec(head)))
    return { kind: 'conflictingOption', option: m[1]!, other: m[2]! };
  if ((m = /^too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/s.exec(head)))
    return { kind: 'excessArguments', command: m[1] ?? null, expected: Number(m[2]), received: Number(m[3]) };
  // The value is quoted as given and may hold anything, the option's flags never hold "' argument '".
  if ((m = /^option '(.*?)' argument '(.*)' is invalid\. (.*)$/s.exec(head)))
    return { kind: 'invalidOptionValue', option: m[1]!, value: m[2]!, reason: reasonOf(m[3]!) };
  if ((m = /^command-argument value '(.*)' is invalid for argument '([^']*)'\. (.*)$/s.exec(head)))
    return { kind: 'invalidArgumentValue', argument: m[2]!, value: m[1]!, reason: reasonOf(m[3]!) };
  return null;
}

function reasonText(reason: Reason, locale: Locale): string {
  return 'choices' in reason ? cliText(locale, 'allowedChoices', { choices: reason.choices }) : reason.text;
}

/** The message of a commander usage error in `locale` (without `error: `, with the suggestion on its own line). */
export function commanderErrorMessage(error: CommanderUsageError, locale: Locale): string {
  const suggest = (suggestions: readonly string[]): string =>
    suggestions.length === 0 ? '' : `\n${cliText(locale, 'didYouMean', { candidates: suggestions })}`;
  switch (error.kind) {
    case 'unknownOption':
      return cliText(locale, 'unknownOption', { option: error.option }) + suggest(error.suggestions);
    case 'unknownCommand':
      return cliText(locale, 'unknownCommand', { command: error.command }) + suggest(error.suggestions);
    case 'missingArgument':
      return cliText(locale, 'missingArgument', { argument: error.argument });
    case 'optionMissingArgument':
      return cliText(locale, 'optionMissingArgument', { option: error.option });
    case 'missingMandatoryOption':
      return cliText(locale, 'missingMandatoryOption', { option: error.option });
    case 'conflictingOption':
      return cliText(locale, 'conflictingOption', { option: error.option, other: error.other });
    case 'excessArguments':
      return cliText(locale, 'excessArguments', {
        command: error.command,
        expected: error.expected,
        received: error.received,
      });
    case 'invalidOptionValue':
      return cliText(locale, 'invalidOptionValue', {
        option: error.option,
        value: error.value,
        reason: reasonText(error.reason, locale),
      });
    case 'invalidArgumentValue':
      return cliText(locale, 'invalidArgumentValue', {
        argument: error.argument,
        value: error.value,
        reason: reasonText(error.reason, locale),
      });
  }
}

/**
 * What the command line prints for commander's error `text` (as commander hands it to `outputError`: `error: ...\n`):
 * `error INVALID_ARGUMENT: <message>` like every other usage error (issue #3), the message in `locale`, then the
 * pointer to `--help`. English is commander's own text, unchanged; another language says the same from the values
 * read back, or keeps commander's text when it cannot be read.
 */
export function commanderErrorText(text: string, locale: Locale): string {
  const parsed = locale === 'en' ? null : parseCommanderError(text.replace(/\n$/, ''));
  const error =
    parsed === null
      ? text.replace(/^error: /, 'error INVALID_ARGUMENT: ')
      : `error INVALID_ARGUMENT: ${commanderErrorMessage(parsed, locale)}\n`;
  return `${error}${cliText(locale, 'seeHelp')}\n`;
}
