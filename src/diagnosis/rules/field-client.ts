// The client well-known's base URL with a /_matrix path: clients append /_matrix/client/... themselves.

import { localize } from '../../i18n/index.js';
import type { Facts } from '../facts.js';
import type { Rule } from '../rule.js';
import { FIELD_TEXTS } from './field-texts.js';

/** The `/_matrix...` path of `m.homeserver.base_url`, with the URL's origin; null when it has none. */
export function baseUrlMatrixPath(facts: Facts): { readonly path: string; readonly origin: string } | null {
  const base = facts.client?.homeserver?.baseUrl ?? null;
  if (base === null) return null;
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return null;
  }
  if (!/^\/_matrix(\/|$)/i.test(url.pathname)) return null;
  return { path: url.pathname, origin: url.origin };
}

/** `https://matrix.example.com/_matrix` (or `/_matrix/client`): the fix is the URL without the path. */
export const clientBaseUrlHasPath: Rule = (facts) => {
  const found = baseUrlMatrixPath(facts);
  const hs = facts.client?.homeserver;
  if (found === null || hs === undefined || hs === null) return [];
  const t = localize(FIELD_TEXTS, facts.locale);
  return [
    {
      id: 'client-base-url-has-path',
      detail: t('client-base-url-has-path.detail', {
        baseUrl: hs.baseUrl ?? '',
        path: found.path,
        versionsUrl: `${found.origin}${found.path.replace(/\/$/, '')}/_matrix/client/versions`,
        answer: hs.url === null ? '' : t('client-base-url-has-path.answer', { url: hs.url, status: hs.httpStatus }),
      }),
      fix: t('client-base-url-has-path.fix', { origin: found.origin }),
    },
  ];
};
