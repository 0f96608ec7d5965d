// The texts of the SRV hints in every language: a catalogue of messages (`<hint id>.<part>`).

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/**
 * What the SRV hints say, in English. `items` and `fixes` are the parts seen, one per record or service, joined by
 * the message; `lines` are zone-file lines.
 */
const en = {
  'srv-unavailable.unnamed': 'the SRV name',
  'srv-unavailable.detail': (p: { name: string; host: string }) =>
    `${p.name} has a single SRV record with target ".", which says the service is decidedly not available (RFC 2782): servers give up without trying ${p.host}:8448.`,
  'srv-unavailable.fix': (p: { name: string; host: string }) =>
    `If this server should federate, replace the record with one naming the homeserver, e.g. "${p.name}. 3600 IN SRV 10 5 8448 ${p.host}.", or delete it (servers then connect to ${p.host} on port 8448).`,
  'srv-target-cname.item': (p: { name: string; target: string; chain: string }) =>
    `${p.name} points at ${p.target}, which is a CNAME (${p.chain})`,
  'srv-target-cname.fixItem': (p: { canonical: string; target: string }) => `${p.canonical} instead of ${p.target}`,
  'srv-target-cname.detail': (p: { items: readonly string[] }) =>
    `${p.items.join('; ')}. RFC 2782 requires SRV targets to have their own A/AAAA records; Synapse follows the alias, other implementations may not.`,
  'srv-target-cname.fix': (p: { fixes: readonly string[] }) =>
    `Point each SRV record at the canonical name: ${p.fixes.join('; ')}. Or replace the CNAME by A/AAAA records of its own.`,
  'srv-deprecated-only.detail': (p: { names: string }) =>
    `Servers find this homeserver through ${p.names} only; _matrix._tcp is deprecated (spec v1.8 replaced it by _matrix-fed._tcp) and is read only when _matrix-fed._tcp has no records.`,
  'srv-deprecated-only.fix': (p: { lines: readonly string[] }) =>
    `Add the same records under _matrix-fed._tcp: ${p.lines.join(' ')} Keep the _matrix._tcp records as long as older servers matter.`,
  'srv-legacy-disagrees.item': (p: { fed: string; fedTargets: string; legacy: string; legacyTargets: string }) =>
    `${p.fed} -> ${p.fedTargets}, but ${p.legacy} -> ${p.legacyTargets}`,
  'srv-legacy-disagrees.fixItem': (p: { legacy: string; fed: string; lines: readonly string[] }) =>
    `make ${p.legacy} list the same targets and ports as ${p.fed} (${p.lines.join(' ')}), or delete it`,
  'srv-legacy-disagrees.detail': (p: { items: readonly string[] }) =>
    `${p.items.join('; ')}. Current servers use _matrix-fed._tcp; servers that only know the deprecated _matrix._tcp connect elsewhere.`,
  'srv-legacy-disagrees.fix': (p: { fixes: readonly string[] }) =>
    `${p.fixes.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
  'srv-ignored-by-well-known.detail': (p: { records: string; host: string; mServer: string }) =>
    `The SRV record(s) ${p.records} exist, but https://${p.host}/.well-known/matrix/server delegates to ${p.mServer}, and a delegating well-known ` +
    'comes first (spec step 3): these SRV records are never used for this server name.',
  'srv-ignored-by-well-known.fix': (p: { host: string }) => `Delete the SRV record(s) of ${p.host} to avoid confusion.`,
  'srv-ignored-by-well-known.fixOne': (p: { host: string; target: string; port: number; document: string }) =>
    `Delete the SRV record(s) of ${p.host} to avoid confusion, or, if ${p.target}:${p.port} is where the homeserver really is, ` +
    `say so in the well-known: ${p.document} (the certificate there must then be valid for ${p.target}).`,
} satisfies Catalogue;

/** The same in Simplified Chinese (glossary: CONTRIBUTING.md, "Languages"). */
const zhCN: Translation<typeof en> = {
  'srv-unavailable.unnamed': 'SRV 名称',
  'srv-unavailable.detail': (p) =>
    zh`${p.name}只有一条目标为“.”的 SRV 记录，表示该服务明确不可用（RFC 2782）：服务器会直接放弃，不会尝试${p.host}:8448。`,
  'srv-unavailable.fix': (p) =>
    zh`如果此服务器需要联邦，请把这条记录换成指向 homeserver 的记录，例如“${p.name}. 3600 IN SRV 10 5 8448 ${p.host}.”，` +
    zh`或者删除它（之后服务器会连接${p.host}的 8448 端口）。`,
  'srv-target-cname.item': (p) => zh`${p.name}指向${p.target}，而它是一个 CNAME（${p.chain}）`,
  'srv-target-cname.fixItem': (p) => zh`用${p.canonical}代替${p.target}`,
  'srv-target-cname.detail': (p) =>
    `${p.items.join('；')}。RFC 2782 要求 SRV 记录的目标有自己的 A/AAAA 记录；Synapse 会跟随别名，其他实现则未必。`,
  'srv-target-cname.fix': (p) =>
    `让每条 SRV 记录都指向规范名称：${p.fixes.join('；')}。或者把这个 CNAME 换成它自己的 A/AAAA 记录。`,
  'srv-deprecated-only.detail': (p) =>
    zh`服务器只能通过${p.names}找到此 homeserver；_matrix._tcp 已弃用（规范 v1.8 起由 _matrix-fed._tcp 取代），` +
    '只有在 _matrix-fed._tcp 没有记录时才会被读取。',
  'srv-deprecated-only.fix': (p) =>
    zh`在 _matrix-fed._tcp 下添加相同的记录：${p.lines.join(' ')}只要还需要兼顾旧版服务器，就保留 _matrix._tcp 记录。`,
  'srv-legacy-disagrees.item': (p) => zh`${p.fed} -> ${p.fedTargets}，但${p.legacy} -> ${p.legacyTargets}`,
  'srv-legacy-disagrees.fixItem': (p) =>
    zh`让${p.legacy}列出与${p.fed}相同的目标和端口（${p.lines.join(' ')}），或者删除它`,
  'srv-legacy-disagrees.detail': (p) =>
    `${p.items.join('；')}。当前的服务器使用 _matrix-fed._tcp；只认识已弃用的 _matrix._tcp 的服务器会连接到别处。`,
  'srv-legacy-disagrees.fix': (p) => `${p.fixes.join('；')}。`,
  'srv-ignored-by-well-known.detail': (p) =>
    zh`存在 SRV 记录${p.records}，但 https://${p.host}/.well-known/matrix/server 委托到了${p.mServer}，` +
    '而做了委托的 .well-known 文件优先（规范第 3 步）：这些 SRV 记录永远不会用于此服务器名。',
  'srv-ignored-by-well-known.fix': (p) => zh`删除${p.host}的 SRV 记录，以免混淆。`,
  'srv-ignored-by-well-known.fixOne': (p) =>
    zh`删除${p.host}的 SRV 记录，以免混淆；或者，如果 homeserver 实际位于${p.target}:${p.port}，就在 .well-known 文件中写明：` +
    zh`${p.document}（此时那里的证书必须对${p.target}有效）。`,
};

/** The SRV hints' texts in every language. */
export const SRV_TEXTS = { en, 'zh-CN': zhCN };
