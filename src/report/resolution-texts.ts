// The fixed words of a resolution's text (`resolve`, the check report's path): step labels, statuses, the targets.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  'status.taken': 'taken',
  'status.skipped': 'skipped',
  'status.empty': 'no records',
  'status.failed': 'failed',
  'label.step': (p: { step: string }) => `step ${p.step}`,
  'label.steps': (p: { steps: readonly string[] }) => `steps ${p.steps.join(', ')}`,
  'label.policy': 'policy',
  'label.name': 'name',
  'wkStatus.delegated': 'delegated',
  'wkStatus.absent': 'absent',
  'wkStatus.invalid': 'invalid',
  'wkStatus.error': 'error',
  'wkStatus.blocked': 'blocked',
  'wkStatus.skipped': 'skipped',
  wellKnown: (p: { status: string; mServer: string | null; detail: string }) =>
    `Well-known: ${p.status}${p.mServer !== null ? ` (m.server ${p.mServer})` : ''}: ${p.detail}`,
  noTargets: (p: { code: string; problem: string }) => `No targets: ${p.code}: ${p.problem}`,
  nothingToConnect: 'nothing to connect to',
  targetsHeading: 'Targets, in the order to try them:',
  target: (p: {
    address: string;
    step: string;
    host: string;
    certificate: string;
    sni: string | null;
    srv: { readonly name: string; readonly target: string } | null;
    addressOf: string | null;
  }) =>
    `${p.address}  step ${p.step}  Host: ${p.host}  certificate for ${p.certificate}, ${p.sni === null ? 'no SNI' : `SNI ${p.sni}`}` +
    (p.srv !== null
      ? `, from SRV ${p.srv.name} -> ${p.srv.target}`
      : p.addressOf !== null && p.addressOf !== ''
        ? `, address of ${p.addressOf}`
        : ''),
  resolving: (p: { name: string }) => `Resolving ${p.name}`,
  milliseconds: (p: { n: number }) => `${p.n} ms`,
  seconds: (p: { n: string }) => `${p.n} s`,
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'status.taken': '已执行',
  'status.skipped': '跳过',
  'status.empty': '无记录',
  'status.failed': '失败',
  'label.step': (p) => `第 ${p.step} 步`,
  'label.steps': (p) => `第 ${p.steps.join('、')} 步`,
  'label.policy': '地址策略',
  'label.name': '服务器名',
  'wkStatus.delegated': '已委托',
  'wkStatus.absent': '不存在',
  'wkStatus.invalid': '无效',
  'wkStatus.error': '出错',
  'wkStatus.blocked': '被阻止',
  'wkStatus.skipped': '跳过',
  wellKnown: (p) => `.well-known：${p.status}${p.mServer !== null ? `（m.server ${p.mServer}）` : ''}：${p.detail}`,
  noTargets: (p) => `没有目标：${p.code}：${p.problem}`,
  nothingToConnect: '没有可以连接的地址',
  targetsHeading: '目标（按尝试的顺序）：',
  target: (p) =>
    `${p.address}  第 ${p.step} 步  Host: ${p.host}  证书须对 ${p.certificate} 有效，${p.sni === null ? '不发送 SNI' : `SNI ${p.sni}`}` +
    (p.srv !== null
      ? `，来自 SRV ${p.srv.name} -> ${p.srv.target}`
      : p.addressOf !== null && p.addressOf !== ''
        ? `，是 ${p.addressOf} 的地址`
        : ''),
  resolving: (p) => `解析 ${p.name}`,
  milliseconds: (p) => `${p.n} 毫秒`,
  seconds: (p) => `${p.n} 秒`,
};

/** The fixed words of a resolution's text in every language. */
export const RESOLUTION_TEXT_WORDS: Translations<typeof en> = { en, 'zh-CN': zhCN };
