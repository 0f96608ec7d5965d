// The check's words for an untrusted certificate chain (TlsReport.trustError): written by src/checker/trust-problem.ts
// in English through this catalogue, read back and said again in another language by the diagnosis (tls-texts.ts).

import { localize, type Catalogue, type Translation, type Translations } from '../i18n/index.js';

/**
 * The words for an untrusted chain, by trust code: the fault and the usual fix, then what Node's verification said
 * (`verifyError`, e.g. `CERT_HAS_EXPIRED`).
 */
const trustEn = {
  TLS_EXPIRED: (p: { verifyError: string }) => `the certificate has expired (${p.verifyError})`,
  TLS_NOT_YET_VALID: (p: { verifyError: string }) =>
    `the certificate is not valid yet (its notBefore is in the future: check the server clock or the certificate) (${p.verifyError})`,
  TLS_SELF_SIGNED: (p: { verifyError: string }) =>
    `the certificate is self-signed; use one from a public CA (e.g. Let's Encrypt) (${p.verifyError})`,
  TLS_INCOMPLETE_CHAIN: (p: { verifyError: string }) =>
    `the server does not send the intermediate certificate(s); serve the full chain (fullchain.pem), not the leaf alone (${p.verifyError})`,
  TLS_UNTRUSTED: (p: { verifyError: string }) =>
    `the certificate chain does not lead to a trusted root CA (${p.verifyError})`,
} satisfies Catalogue;

const trustZh: Translation<typeof trustEn> = {
  TLS_EXPIRED: (p) => `证书已过期（${p.verifyError}）`,
  TLS_NOT_YET_VALID: (p) => `证书尚未生效（它的 notBefore 在未来：请检查服务器时钟或证书）（${p.verifyError}）`,
  TLS_SELF_SIGNED: (p) => `证书是自签名的；请使用公共 CA 签发的证书（例如 Let's Encrypt）（${p.verifyError}）`,
  TLS_INCOMPLETE_CHAIN: (p) =>
    `服务器没有发送中间证书；请提供完整的证书链（fullchain.pem），而不只是叶证书（${p.verifyError}）`,
  TLS_UNTRUSTED: (p) => `证书链无法追溯到受信任的根 CA（${p.verifyError}）`,
};

/** The check's words for an untrusted chain in every language. */
export const TRUST_PROBLEM_TEXTS: Translations<typeof trustEn> = { en: trustEn, 'zh-CN': trustZh };

/** The trust codes the catalogue words (the others keep Node's own message). */
export type WordedTrustCode = keyof typeof trustEn;

/** Whether the catalogue words `code`. */
export function isWordedTrustCode(code: string): code is WordedTrustCode {
  return Object.hasOwn(trustEn, code);
}

/** A trust problem in the report's English: `trustProblemEnglish('TLS_EXPIRED', { verifyError: 'CERT_HAS_EXPIRED' })`. */
export const trustProblemEnglish = localize(TRUST_PROBLEM_TEXTS, 'en');
