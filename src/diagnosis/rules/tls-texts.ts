// The texts of the certificate hints (rules/tls.ts), in English and Simplified Chinese: a catalogue of named values.

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';
import { TRUST_PROBLEM_TEXTS } from '../../check-report/trust-problem-texts.js';
import type { Locale } from '../../i18n/index.js';
import { errorWords } from './error-words.js';
import { sayAgain, sentenceReader, unreadWords } from './read-back.js';

export { TRUST_PROBLEM_TEXTS };

/**
 * What the certificate hints say. Values arrive formatted (lists joined in the language's form, remote values as the
 * report has them); keys are `<hint id>.<part>`, and `<part>` alone for the pieces several hints share.
 */
const en = {
  /** Items of a detail, one per address, as one sentence. */
  items: (p: { items: readonly string[] }) => `${p.items.join('; ')}.`,
  'leaf.none': 'no certificate',
  'leaf.names': (p: { names: string; issuer: string; from: string; to: string }) =>
    `a certificate for ${p.names} issued by "${p.issuer}", valid ${p.from} to ${p.to}`,
  'leaf.commonName': (p: { commonName: string; issuer: string; from: string; to: string }) =>
    `a certificate for CN=${p.commonName} issued by "${p.issuer}", valid ${p.from} to ${p.to}`,
  'why.ipLiteral': 'the IP address servers connect to, since it was given as an IP literal',
  'why.delegated': 'the host delegated to in "m.server"',
  'why.srv': 'the server name: an SRV record changes where servers connect, never the name they check',
  'why.serverName': 'the server name',
  'trust.item': (p: { address: string; leaf: string; problem: string }) =>
    `${p.address} presents ${p.leaf}: ${p.problem}`,
  'trust.notTrusted': 'not trusted',
  'tls-expired.fix': (p: { names: string; addresses: string }) =>
    `Renew the certificate for ${p.names} (e.g. certbot renew) and reload the server that terminates TLS on ${p.addresses}; check that renewal runs automatically (a cron job or systemd timer).`,
  'tls-not-yet-valid.fix': (p: { names: string }) =>
    `Check the clock of the server (and of whatever issued the certificate); if the dates are wrong, issue a new certificate for ${p.names}.`,
  'tls-self-signed.fix': (p: { names: string; first: string }) =>
    `Use a certificate from a public CA for ${p.names} (e.g. Let's Encrypt: certbot certonly -d ${p.first}); servers do not trust self-signed certificates, and federation has no "accept anyway".`,
  'tls-incomplete-chain.fix': (p: { addresses: string }) =>
    `Serve the full chain on ${p.addresses}: the certificate followed by its intermediate(s) (certbot's fullchain.pem, not cert.pem; nginx ssl_certificate fullchain.pem). Browsers fetch a missing intermediate themselves, servers do not.`,
  'tls-untrusted.fix': (p: { names: string; addresses: string }) =>
    `Use a certificate for ${p.names} from a CA in the public trust stores (e.g. Let's Encrypt), served with its intermediates on ${p.addresses}.`,
  'tls-wrong-name.item': (p: { address: string; has: string; name: string; why: string }) =>
    `${p.address} presents a certificate for ${p.has}, but servers need ${p.name} (${p.why})`,
  'tls-wrong-name.itemNoName': (p: { address: string; name: string; why: string }) =>
    `${p.address} presents a certificate for no name at all, but servers need ${p.name} (${p.why})`,
  'tls-wrong-name.fix': (p: { names: string; first: string; addresses: string }) =>
    `Get a certificate that includes ${p.names} (e.g. certbot -d ${p.first}) and have ${p.addresses} present it.`,
  'tls-wrong-name.fixSni': (p: { names: string; first: string; addresses: string; snis: string }) =>
    `Get a certificate that includes ${p.names} (e.g. certbot -d ${p.first}) and have ${p.addresses} present it for the SNI ${p.snis}.`,
  'tls-certificate-for-srv-target.detail': (p: {
    srv: string;
    target: string;
    port: string;
    address: string;
    names: string;
    name: string;
  }) =>
    `${p.srv} points at ${p.target}:${p.port}, and ${p.address} presents a certificate for ${p.names}; ` +
    `but servers check the certificate against ${p.name}, never against the SRV target (spec "Resolving server names"; the SRV target's name was accepted only before Matrix 1.0).`,
  'tls-certificate-for-srv-target.fix': (p: { name: string; target: string; port: string }) =>
    `Add ${p.name} to the certificate served on ${p.target}:${p.port} (for SNI ${p.name}), or delegate with a well-known instead: ` +
    `{"m.server": "${p.target}:${p.port}"} at https://${p.name}/.well-known/matrix/server, for which the ${p.target} certificate is the right one.`,
  'tls-expires-soon.item': (p: { address: string; days: number; date: string }) =>
    `The certificate of ${p.address} expires in ${p.days} day(s), on ${p.date}`,
  'tls-expires-soon.fix':
    'Renew it now (e.g. certbot renew) and check why automatic renewal did not happen (certbot renews 30 days ahead).',
  'tls-handshake-failed.item': (p: { address: string; code: string; message: string }) =>
    `${p.address}: ${p.code} (${p.message})`,
  'tls-handshake-failed.fix': (p: { ports: string }) =>
    `Terminate TLS on port ${p.ports}: something accepts connections there but does not complete a TLS handshake (often a plain-HTTP listener, ` +
    'such as Synapse\'s 8008, or nginx "listen 8448;" without "ssl"). Use "listen <port> ssl;" with a valid certificate, or delegate to the port that speaks TLS.',
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  items: (p) => `${p.items.join('；')}。`,
  'leaf.none': '空的证书链',
  'leaf.names': (p) => zh`一张适用于${p.names}的证书（签发者 "${p.issuer}"，有效期${p.from}至${p.to}）`,
  'leaf.commonName': (p) => zh`一张适用于 CN=${p.commonName}的证书（签发者 "${p.issuer}"，有效期${p.from}至${p.to}）`,
  'why.ipLiteral': '服务器名是 IP 字面量，其他服务器连接的就是这个 IP 地址',
  'why.delegated': '即 "m.server" 委托到的主机',
  'why.srv': '即服务器名：SRV 记录只改变其他服务器连接的地址，从不改变它们核对的名称',
  'why.serverName': '即服务器名',
  'trust.item': (p) => zh`${p.address}出示的是${p.leaf}：${p.problem}`,
  'trust.notTrusted': '不受信任',
  'tls-expired.fix': (p) =>
    zh`续期${p.names}的证书（例如 certbot renew），并重新加载在${p.addresses}上终结 TLS 的服务器；再确认续期会自动执行（cron 任务或 systemd 定时器）。`,
  'tls-not-yet-valid.fix': (p) =>
    zh`检查服务器的时钟（以及签发该证书的系统的时钟）；如果证书日期有误，请为${p.names}重新签发证书。`,
  'tls-self-signed.fix': (p) =>
    zh`为${p.names}使用公共 CA 签发的证书（例如 Let's Encrypt：certbot certonly -d ${p.first}）；其他服务器不信任自签名证书，联邦也没有“仍然接受”这种选项。`,
  'tls-incomplete-chain.fix': (p) =>
    zh`在${p.addresses}上提供完整的证书链：证书后面跟上它的中间证书（用 certbot 的 fullchain.pem，而不是 cert.pem；nginx 写 ssl_certificate fullchain.pem）。浏览器会自己补取缺失的中间证书，其他服务器不会。`,
  'tls-untrusted.fix': (p) =>
    zh`为${p.names}使用公共信任库中的 CA 签发的证书（例如 Let's Encrypt），并在${p.addresses}上连同中间证书一起提供。`,
  'tls-wrong-name.item': (p) => zh`${p.address}出示的证书适用于${p.has}，但其他服务器需要的是${p.name}（${p.why}）`,
  'tls-wrong-name.itemNoName': (p) => zh`${p.address}出示的证书不含任何名称，但其他服务器需要的是${p.name}（${p.why}）`,
  'tls-wrong-name.fix': (p) =>
    zh`申请一张包含${p.names}的证书（例如 certbot -d ${p.first}），并让${p.addresses}出示它。`,
  'tls-wrong-name.fixSni': (p) =>
    zh`申请一张包含${p.names}的证书（例如 certbot -d ${p.first}），并让${p.addresses}在 SNI 为${p.snis}时出示它。`,
  'tls-certificate-for-srv-target.detail': (p) =>
    zh`${p.srv}指向${p.target}:${p.port}，${p.address}出示的证书适用于${p.names}；` +
    zh`但其他服务器按${p.name}核对证书，从不按 SRV 记录的目标核对（规范“Resolving server names”一节；只有 Matrix 1.0 之前才接受 SRV 目标的名称）。`,
  'tls-certificate-for-srv-target.fix': (p) =>
    zh`把${p.name}加入${p.target}:${p.port}上提供的证书（SNI 为${p.name}时），或者改用 .well-known 委托：` +
    zh`在 https://${p.name}/.well-known/matrix/server 提供 {"m.server": "${p.target}:${p.port}"}，这样${p.target}的证书就是正确的证书。`,
  'tls-expires-soon.item': (p) =>
    p.days === 0
      ? zh`${p.address}的证书不到一天就会过期（${p.date}）`
      : zh`${p.address}的证书将在${p.days}天后（${p.date}）过期`,
  'tls-expires-soon.fix':
    '现在就续期（例如 certbot renew），并查明自动续期为什么没有发生（certbot 会提前 30 天续期）。',
  'tls-handshake-failed.item': (p) => zh`${p.address}的 TLS 握手失败：${p.code}（${p.message}）`,
  'tls-handshake-failed.fix': (p) =>
    zh`在${p.ports}端口上终结 TLS：那里有程序接受连接，却不完成 TLS 握手（通常是明文 HTTP 监听，` +
    '例如 Synapse 的 8008，或 nginx 写了 "listen 8448;" 却没有 "ssl"）。请用 "listen <port> ssl;" 并配上有效证书，或者委托到支持 TLS 的端口。',
};

/** The certificate hints' texts in every language. */
export const TLS_TEXTS = { en, 'zh-CN': zhCN };

const trustEn = TRUST_PROBLEM_TEXTS.en;

const readTrust = sentenceReader(trustEn, {
  TLS_EXPIRED: ['verifyError'],
  TLS_NOT_YET_VALID: ['verifyError'],
  TLS_SELF_SIGNED: ['verifyError'],
  TLS_INCOMPLETE_CHAIN: ['verifyError'],
  TLS_UNTRUSTED: ['verifyError'],
});

/** A trust problem's message read back (by its code), or null when the check worded it otherwise. */
export function readTrustProblem(code: string, message: string): ReturnType<typeof readTrust> {
  return code in trustEn ? readTrust(message, [code as keyof typeof trustEn]) : null;
}

/**
 * An untrusted chain's problem in `locale` (`en`: as the check wrote it): a sentence of the catalogue said again, one
 * the catalogue words but no form reads (cut, another version's) marked as the check's words, and Node's own message
 * for a code the catalogue does not word said from its code and marked as the system's (errorWords).
 */
export function trustProblemWords(code: string, message: string, locale: Locale): string {
  if (locale === 'en') return message;
  const read = readTrustProblem(code, message);
  if (read !== null) return sayAgain(TRUST_PROBLEM_TEXTS, locale, read);
  return Object.hasOwn(TRUST_PROBLEM_TEXTS.en, code) ? unreadWords(message, locale) : errorWords(code, message, locale);
}
