// The hints' titles in every language but English (English titles are in the catalogue itself).

import type { HintId } from './catalogue.js';

/**
 * Each hint's title in Simplified Chinese, by id: the compiler refuses a missing id. Words from the glossary in
 * CONTRIBUTING ("Languages").
 */
export const HINT_TITLES_ZH_CN: Readonly<Record<HintId, string>> = {
  // Filled in by the zh-CN translation (issue 17); until then the English title is used (see `hintTitle`).
} as Record<HintId, string>;
