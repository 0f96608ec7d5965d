// The command line's language: `--lang en|zh-CN` on every command, else LC_ALL / LC_MESSAGES / LANG (declarations only).

import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { DEFAULT_LOCALE, LOCALES, localeFromEnvironment, parseLocale } from '../i18n/locale.js';
import type { Locale } from '../i18n/locale.js';
import { cliText } from './cli-texts.js';

/** What a command's runner is told besides its own flags: the language of everything it prints for people. */
export interface LocaleFlagValues {
  /** `--lang`, or the environment's language (`LC_ALL`, `LC_MESSAGES`, `LANG`), or English. */
  readonly locale: Locale;
}

/**
 * Adds `--lang <language>` to the program, for every command: commander reads a program option before and after the
 * command name (`matrix-delegation --lang zh-CN check x` and `matrix-delegation check x --lang zh-CN`), and parses it
 * before the command's own options, so their checks can already speak the chosen language. Its default is the
 * language of `env` (read once, here); a language we have no messages for is a usage error listing ours (exit 2),
 * where the environment's falls back to English quietly (gettext's rule: a locale is a preference, a flag a request).
 * Any tag `parseLocale` reads is taken (`zh-CN`, `zh_CN.UTF-8`, `zh-Hans`, `en-GB`).
 */
export function addLangOption(program: Command, env: Readonly<Record<string, string | undefined>>): Command {
  const fromEnvironment = localeFromEnvironment(env);
  return program.addOption(
    new Option('--lang <language>', `language of the messages: ${LOCALES.join(' or ')}`)
      .argParser((value: string): Locale => {
        const locale = parseLocale(value);
        if (locale === null) {
          // In the environment's language: the flag's own is unknown.
          throw new InvalidArgumentError(
            cliText(fromEnvironment, 'unknownLanguage', { value, languages: [...LOCALES] }),
          );
        }
        return locale;
      })
      .default(fromEnvironment, 'from LC_ALL, LC_MESSAGES or LANG; else en'),
  );
}

/**
 * The language a command runs in: the program's `--lang` (or its default, the environment's). English when the
 * command was registered on a program without `--lang` (a test that builds its own program).
 */
export function localeOf(command: Command): Locale {
  const lang: unknown = command.optsWithGlobals()['lang'];
  return typeof lang === 'string' ? (parseLocale(lang) ?? DEFAULT_LOCALE) : DEFAULT_LOCALE;
}
