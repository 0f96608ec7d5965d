// Turns the value rules' faults of one settings key into the check's problems, and the sink problems go to.

import type { ClientSettingProblem, ClientSettingProblemCode } from '../../check-report/client-settings.js';
import {
  faultExpectation,
  faultField,
  jsonTypeWord,
  type SettingFault,
} from '../../check-report/client-settings-values.js';
import type { ProblemSeverity } from '../../check-report/problem.js';
import type { ErrorCode } from '../../errors.js';
import { REMOTE_TEXT_LIMITS, boundRemoteText } from '../../remote-text.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';
import { quote } from './request.js';

/** Collects the problems of the settings check, in the order found. */
export class SettingProblems {
  readonly list: ClientSettingProblem[] = [];

  add(
    code: ClientSettingProblemCode,
    severity: ProblemSeverity,
    message: string,
    cause: ErrorCode | null = null,
  ): void {
    this.list.push({ code, severity, message: boundRemoteText(message, REMOTE_TEXT_LIMITS.message), cause });
  }
}

/** A JSON value's type for a sentence, with the value when it is short: `the string "false"`, `a number (1)`. */
export function describeJson(value: unknown): string {
  const type = jsonTypeWord(value);
  if (type === 'string') return `the string ${quote(value)}`;
  if (type === 'number' || type === 'boolean')
    return `${type === 'number' ? 'the number' : ''} ${String(value)}`.trim();
  if (type === 'null') return 'null';
  return type === 'array' ? 'a list' : 'an object';
}

/**
 * Reports the faults of `key`'s value: the value itself of the wrong JSON type is `CLIENT_SETTING_WRONG_TYPE`
 * (clients ignore the whole setting), a field inside it is the setting's own `invalid` code. Returns true when the
 * value itself had the right type (so its fields can be read).
 */
export function reportFaults(
  key: string,
  faults: readonly SettingFault[],
  invalid: ClientSettingProblemCode,
  problems: SettingProblems,
): boolean {
  let usable = true;
  for (const fault of faults) {
    if (fault.path.length === 0) {
      usable = false;
      problems.add(
        'CLIENT_SETTING_WRONG_TYPE',
        'warning',
        M.wrongType({ key, got: describeJson(fault.value), expected: faultExpectation(fault) }),
      );
    } else {
      problems.add(
        invalid,
        'warning',
        M.fieldInvalid({
          field: faultField(key, fault),
          got: describeJson(fault.value),
          expected: faultExpectation(fault),
          missing: fault.missing,
        }),
      );
    }
  }
  return usable;
}
