// The fixes of the client settings hints, one message per hint id, each a function of named values.

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/** Example values the fixes show when the report has no better one. */
const EXAMPLES = {
  livekit: 'https://matrix-rtc.example.com/livekit/jwt',
  issuer: 'https://account.example.com/',
  style: 'https://tiles.example.com/style.json',
  jitsi: 'jitsi.example.com',
} as const satisfies Catalogue;

/**
 * What to change for each client settings hint, in English: every message takes its values by name (already
 * quoted where they are remote), so that a translation (issue 17) is a second object of the same shape. Each fix
 * says which form of the setting is current where clients moved between forms.
 */
export const CLIENT_SETTING_FIXES = {
  'client-setting-wrong-type': () =>
    'Give each setting the JSON type clients read: an object for "io.element.e2ee", "io.element.jitsi" / "im.vector.riot.jitsi", ' +
    '"org.matrix.msc2965.authentication", "m.tile_server" and "m.integrations", a list for "org.matrix.msc4143.rtc_foci", ' +
    'e.g. "io.element.e2ee": {"default": true} rather than "io.element.e2ee": true.',
  'client-setting-unknown': () =>
    'Nothing to do if another application reads them. If one was meant for a client, check its spelling against the names ' +
    'clients read today: "io.element.e2ee", "io.element.jitsi" or "im.vector.riot.jitsi", "org.matrix.msc4143.rtc_foci", ' +
    '"org.matrix.msc2965.authentication", "m.tile_server"; and namespace your own keys (e.g. "com.example.setting").',
  'client-e2ee-invalid': (p: { key: string }) =>
    `Write the fields of "${p.key}" as JSON booleans, e.g. {"default": false}: Element only turns default encryption off ` +
    'for the boolean false, so the string "false" leaves it on. "secure_backup_setup_methods" is a list of "key" and/or ' +
    '"passphrase". In a matrix-delegation or Synapse YAML file write false, not no or "false".',
  'client-e2ee-older-key': () =>
    'Rename "im.vector.riot.e2ee" to "io.element.e2ee", the current name (Element reads the old one only when the new one ' +
    'is absent), and keep one of the two, or give both the same value.',
  'client-e2ee-retired-settings': (p: { key: string; fields: string }) =>
    `Remove ${p.fields} from "${p.key}" unless older Element clients still need them: current Element Web ignores them ` +
    'and recommends setting up recovery to everyone.',
  'client-e2ee-contradictory': (p: { key: string }) =>
    `Choose one in "${p.key}": remove "force_disable" to let people encrypt new rooms ("default" then decides the default), ` +
    'or remove "default", which has no effect while "force_disable" is true.',
  'client-jitsi-invalid': (p: { key: string }) =>
    `Give only the host name of your Jitsi Meet server: "${p.key}": {"preferredDomain": "${EXAMPLES.jitsi}"}, without ` +
    'https:// or a path; "useFor1To1Calls" is true or false.',
  'client-jitsi-unreachable': (p: { domain: string }) =>
    `Make https://${p.domain}/ answer on port 443 with a certificate valid for ${p.domain} (e.g. from certbot), or correct ` +
    '"preferredDomain". Without a usable Jitsi server, conference calls in Element fail.',
  'client-jitsi-not-jitsi': (p: { domain: string }) =>
    `Set "preferredDomain" to the host that serves Jitsi Meet (it answers https://<host>/external_api.js), not ` +
    `${p.domain}, or install Jitsi Meet there.`,
  'client-jitsi-keys-disagree': () =>
    'Give "io.element.jitsi" and "im.vector.riot.jitsi" the same "preferredDomain", or keep only "im.vector.riot.jitsi": ' +
    'every Element client reads it (Element Web reads the newer "io.element.jitsi" first, Element Android only the older one).',
  'client-rtc-foci-invalid': () =>
    `Write it as a list of foci, each with a "type": "org.matrix.msc4143.rtc_foci": [{"type": "livekit", ` +
    `"livekit_service_url": "${EXAMPLES.livekit}"}], a LiveKit focus with the https base URL of its lk-jwt-service. ` +
    "The current form is the homeserver's list (Synapse: matrix_rtc.transports); the well-known list is for older clients.",
  'client-rtc-livekit-unreachable': (p: { url: string }) =>
    `Make ${p.url} reachable over HTTPS with a certificate valid for its host (the reverse proxy in front of ` +
    'lk-jwt-service), or correct "livekit_service_url".',
  'client-rtc-livekit-cors': (p: { url: string }) =>
    `Let the preflights reach lk-jwt-service, which answers them itself: route OPTIONS and POST of ${p.url}/get_token and ` +
    '/sfu/get to it unchanged (no redirect, no 404 or 405 from the proxy, no trailing slash in "livekit_service_url"), ' +
    'or have the proxy answer OPTIONS with 204 and Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: POST, ' +
    'OPTIONS, Access-Control-Allow-Headers: Content-Type, Authorization.',
  'client-rtc-livekit-legacy-only': (p: { url: string }) =>
    `Upgrade lk-jwt-service to a version with /get_token (MSC4195, what current Element Call asks first) and route ` +
    `${p.url}/get_token to it; older Element Call versions keep using /sfu/get.`,
  'client-rtc-transports-missing': (p: { url: string }) =>
    "Announce the call server on the homeserver too, the current form (MSC4143): in Synapse's homeserver.yaml set " +
    `experimental_features: {msc4143_enabled: true} and matrix_rtc: {transports: [{type: livekit, livekit_service_url: ` +
    `${p.url}}]}, then restart Synapse. Keep the well-known list for older clients.`,
  'client-rtc-transports-disagree': () =>
    "List the same LiveKit services in both places: the homeserver's transports (Synapse: matrix_rtc.transports), which " +
    'current clients read, and "org.matrix.msc4143.rtc_foci", which older clients read.',
  'client-auth-invalid': (p: { key: string }) =>
    `Write it as "${p.key}": {"issuer": "${EXAMPLES.issuer}", "account": "${EXAMPLES.issuer}account/"} with your OpenID ` +
    "provider's issuer (https, no query or fragment). It is MSC2965's first form: current clients read the homeserver's " +
    '/_matrix/client/v1/auth_metadata, which Synapse serves with matrix-authentication-service configured.',
  'client-auth-issuer-unreachable': (p: { url: string }) =>
    `Make ${p.url} answer 200 with the provider's JSON configuration (matrix-authentication-service serves it under its ` +
    'public base URL), or set "issuer" to the issuer identifier the provider uses.',
  'client-auth-issuer-mismatch': (p: { served: string }) =>
    `Set "issuer" to exactly the issuer the provider names, ${p.served} (for matrix-authentication-service: its ` +
    'http.public_base), and keep the trailing slash as the provider writes it.',
  'client-auth-issuer-cors': (p: { url: string }) =>
    `Send Access-Control-Allow-Origin: * with ${p.url} (matrix-authentication-service does; a reverse proxy in front must ` +
    'pass it on), so that web clients can read it.',
  'client-auth-metadata-missing': (p: { key: string }) =>
    "Current clients find the sign-in provider at the homeserver's GET /_matrix/client/v1/auth_metadata (spec v1.15; the " +
    `well-known "${p.key}" is MSC2965's first form): enable it on the homeserver (Synapse 1.136 or later: the ` +
    `matrix_authentication_service section), or remove "${p.key}" if the homeserver does not use that provider.`,
  'client-auth-metadata-disagrees': (p: { served: string }) =>
    `Make the well-known's "issuer" the one the homeserver announces, ${p.served}: clients that read the well-known ` +
    'would otherwise sign in at another provider than current ones.',
  'client-tile-server-invalid': () =>
    `Write it as "m.tile_server": {"map_style_url": "${EXAMPLES.style}"}, the https URL of a MapLibre style.`,
  'client-tile-server-broken': (p: { url: string }) =>
    `Make ${p.url} answer 200 with the style JSON ({"version": 8, "sources": {...}, "layers": [...]}), or point ` +
    '"map_style_url" at a style that does.',
  'client-tile-server-cors': (p: { url: string }) =>
    `Send Access-Control-Allow-Origin: * with ${p.url}, and with the tiles, sprites and fonts it names: the map library ` +
    'fetches them from the page.',
  'client-tile-server-unstable-key': () =>
    'Rename "org.matrix.msc3488.tile_server" to "m.tile_server", the name Element reads first, or serve both with the same value.',
} as const satisfies Catalogue;

/** What to change for each client settings hint, in Simplified Chinese (the glossary's words, values as in English). */
export const CLIENT_SETTING_FIXES_ZH_CN: Translation<typeof CLIENT_SETTING_FIXES> = {
  'client-setting-wrong-type': () =>
    '给每项设置使用客户端读取的 JSON 类型："io.element.e2ee"、"io.element.jitsi" / "im.vector.riot.jitsi"、' +
    '"org.matrix.msc2965.authentication"、"m.tile_server" 和 "m.integrations" 是对象，"org.matrix.msc4143.rtc_foci" 是列表，' +
    '例如写 "io.element.e2ee": {"default": true}，而不是 "io.element.e2ee": true。',
  'client-setting-unknown': () =>
    '如果是其他应用在读取这些键，就无需处理。如果其中某个是写给客户端的，请对照客户端如今读取的名称检查拼写：' +
    '"io.element.e2ee"、"io.element.jitsi" 或 "im.vector.riot.jitsi"、"org.matrix.msc4143.rtc_foci"、' +
    '"org.matrix.msc2965.authentication"、"m.tile_server"；你自己的键请加上命名空间（例如 "com.example.setting"）。',
  'client-e2ee-invalid': (p) =>
    zh`把 "${p.key}" 的字段写成 JSON 布尔值，例如 {"default": false}：只有布尔值 false 才会让 Element 关闭默认加密，` +
    '字符串 "false" 会让加密保持开启。"secure_backup_setup_methods" 是由 "key" 和/或 "passphrase" 组成的列表。' +
    '在 matrix-delegation 或 Synapse 的 YAML 文件中写 false，不要写 no 或 "false"。',
  'client-e2ee-older-key': () =>
    '把 "im.vector.riot.e2ee" 改名为当前的名称 "io.element.e2ee"（只有新名称不存在时，Element 才读取旧名称），' +
    '两者只保留一个，或者给两者相同的值。',
  'client-e2ee-retired-settings': (p) =>
    zh`从 "${p.key}" 中删除${p.fields}，除非旧版 Element 客户端仍然需要它们：当前的 Element Web 会忽略它们，` +
    '并向所有人建议设置恢复。',
  'client-e2ee-contradictory': (p) =>
    zh`在 "${p.key}" 中二选一：删除 "force_disable"，让用户可以为新房间加密（此时由 "default" 决定默认值）；` +
    '或者删除 "default"，因为 "force_disable" 为 true 时它不起作用。',
  'client-jitsi-invalid': (p) =>
    zh`只写你的 Jitsi Meet 服务器的主机名："${p.key}": {"preferredDomain": "${EXAMPLES.jitsi}"}，不要带 ` +
    'https:// 或路径；"useFor1To1Calls" 是 true 或 false。',
  'client-jitsi-unreachable': (p) =>
    zh`让 https://${p.domain}/ 在 443 端口响应，并使用对${p.domain}有效的证书（例如用 certbot 申请），或者更正 ` +
    '"preferredDomain"。没有可用的 Jitsi 服务器，Element 中的会议通话就会失败。',
  'client-jitsi-not-jitsi': (p) =>
    `把 "preferredDomain" 设为提供 Jitsi Meet 的主机（它会响应 https://<host>/external_api.js），而不是 ` +
    zh`${p.domain}；或者在那里安装 Jitsi Meet。`,
  'client-jitsi-keys-disagree': () =>
    '给 "io.element.jitsi" 和 "im.vector.riot.jitsi" 相同的 "preferredDomain"，或者只保留 "im.vector.riot.jitsi"：' +
    '每个 Element 客户端都读取它（Element Web 先读较新的 "io.element.jitsi"，Element Android 只读较旧的那个）。',
  'client-rtc-foci-invalid': () =>
    `把它写成 focus 列表，每项都带 "type"："org.matrix.msc4143.rtc_foci": [{"type": "livekit", ` +
    zh`"livekit_service_url": "${EXAMPLES.livekit}"}]，LiveKit focus 的值是它的 lk-jwt-service 的 https 基础 URL。` +
    '当前的形式是 homeserver 的列表（Synapse：matrix_rtc.transports）；.well-known 中的列表是给旧客户端用的。',
  'client-rtc-livekit-unreachable': (p) =>
    zh`让${p.url}能通过 HTTPS 访问，并使用对其主机有效的证书（即 lk-jwt-service 前面的反向代理），` +
    '或者更正 "livekit_service_url"。',
  'client-rtc-livekit-cors': (p) =>
    zh`让预检请求到达 lk-jwt-service，由它自己响应：把${p.url}/get_token 和 /sfu/get 的 OPTIONS 与 POST 请求原样转发给它` +
    '（不要重定向，反向代理不要返回 404 或 405，"livekit_service_url" 末尾不要带斜杠），' +
    '或者让反向代理对 OPTIONS 返回 204，并带上 Access-Control-Allow-Origin: *、Access-Control-Allow-Methods: POST, ' +
    'OPTIONS、Access-Control-Allow-Headers: Content-Type, Authorization。',
  'client-rtc-livekit-legacy-only': (p) =>
    `把 lk-jwt-service 升级到带 /get_token 的版本（MSC4195，当前的 Element Call 会先请求它），并把 ` +
    zh`${p.url}/get_token 转发给它；旧版 Element Call 会继续使用 /sfu/get。`,
  'client-rtc-transports-missing': (p) =>
    '也在 homeserver 上公布通话服务器，这是当前的形式（MSC4143）：在 Synapse 的 homeserver.yaml 中设置 ' +
    `experimental_features: {msc4143_enabled: true} 和 matrix_rtc: {transports: [{type: livekit, livekit_service_url: ` +
    zh`${p.url}}]}，然后重启 Synapse。为旧客户端保留 .well-known 中的列表。`,
  'client-rtc-transports-disagree': () =>
    '在两处列出相同的 LiveKit 服务：homeserver 的 transports（Synapse：matrix_rtc.transports），当前的客户端读取它；' +
    '以及 "org.matrix.msc4143.rtc_foci"，旧客户端读取它。',
  'client-auth-invalid': (p) =>
    zh`把它写成 "${p.key}": {"issuer": "${EXAMPLES.issuer}", "account": "${EXAMPLES.issuer}account/"}，其中填你的 OpenID ` +
    '提供方的签发者（issuer，https，不带查询参数或片段）。这是 MSC2965 的最初形式：当前的客户端读取 homeserver 的 ' +
    '/_matrix/client/v1/auth_metadata，配置了 matrix-authentication-service 的 Synapse 会提供它。',
  'client-auth-issuer-unreachable': (p) =>
    zh`让${p.url}以 200 返回提供方的 JSON 配置（matrix-authentication-service 在它的公开基础 URL 下提供），` +
    '或者把 "issuer" 设为提供方使用的签发者标识符。',
  'client-auth-issuer-mismatch': (p) =>
    zh`把 "issuer" 设为与提供方给出的完全一致，即${p.served}（对 matrix-authentication-service 而言是它的 ` +
    'http.public_base），末尾的斜杠也要与提供方的写法保持一致。',
  'client-auth-issuer-cors': (p) =>
    zh`在${p.url}的响应中发送 Access-Control-Allow-Origin: *（matrix-authentication-service 会发送；它前面的反向代理` +
    '必须原样传递），这样 Web 客户端才能读取它。',
  'client-auth-metadata-missing': (p) =>
    '当前的客户端通过 homeserver 的 GET /_matrix/client/v1/auth_metadata 找到登录提供方（规范 v1.15；' +
    zh`.well-known 中的 "${p.key}" 是 MSC2965 的最初形式）：请在 homeserver 上启用它（Synapse 1.136 或更高版本：` +
    zh`matrix_authentication_service 一节），如果 homeserver 不使用这个登录提供方，就删除 "${p.key}"。`,
  'client-auth-metadata-disagrees': (p) =>
    zh`让 .well-known 中的 "issuer" 与 homeserver 公布的一致，即${p.served}：否则读取 .well-known 的客户端` +
    '会在与当前客户端不同的登录提供方登录。',
  'client-tile-server-invalid': () =>
    zh`把它写成 "m.tile_server": {"map_style_url": "${EXAMPLES.style}"}，即 MapLibre 样式的 https URL。`,
  'client-tile-server-broken': (p) =>
    zh`让${p.url}以 200 返回样式 JSON（{"version": 8, "sources": {...}, "layers": [...]}），或者把 ` +
    '"map_style_url" 指向一个能这样返回的样式。',
  'client-tile-server-cors': (p) =>
    zh`在${p.url}的响应中发送 Access-Control-Allow-Origin: *，它引用的瓦片、精灵图和字体也要发送：地图库是从页面` +
    '中获取它们的。',
  'client-tile-server-unstable-key': () =>
    '把 "org.matrix.msc3488.tile_server" 改名为 "m.tile_server"（Element 先读取这个名称），或者两者都提供且值相同。',
};

/** The client settings hints' fixes in every language. */
export const CLIENT_SETTING_FIX_TEXTS = { en: CLIENT_SETTING_FIXES, 'zh-CN': CLIENT_SETTING_FIXES_ZH_CN };
