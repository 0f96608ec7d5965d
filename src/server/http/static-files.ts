// The web page's files: read once from the web root at start, served from memory with content types and ETags.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';

/** Limits of what is read from the web root: a page, not a file server. */
export const STATIC_LIMITS = Object.freeze({ maxFiles: 500, maxFileBytes: 5 * 1024 * 1024, maxDepth: 8 });

/**
 * The Content-Security-Policy of every page file: the page loads only its own scripts, styles and images, calls
 * only its own API, and may not be framed (web/README.md: no inline scripts, no `style=`, nothing external).
 * A reflected or stored injection in a report can then run nothing and send nothing elsewhere.
 */
export const PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Extensions of files in the web root that are documentation for its editors, not part of the page. */
const NOT_SERVED_EXTENSIONS: ReadonlySet<string> = new Set(['.md']);

/** Content types by file extension; anything else is `application/octet-stream`. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** One file ready to send. */
export interface StaticFile {
  readonly body: Buffer;
  /** Content-Type, Content-Length, ETag, Cache-Control and the security headers. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The files of the site by URL path (`/` is `index.html`). */
export interface StaticSite {
  /** Where the files came from, or null when the built-in placeholder page is served. */
  readonly root: string | null;
  readonly files: ReadonlyMap<string, StaticFile>;
  /** Problems met while reading (skipped files); the server logs them. */
  readonly warnings: readonly string[];
}

/** The content type of a file name. */
export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** The page served when the web root has no index.html: the endpoints, and a form that calls the tester API. */
export const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>matrix-delegation</title></head>
<body>
<h1>matrix-delegation</h1>
<p>This server answers <a href="/.well-known/matrix/server">/.well-known/matrix/server</a>,
<a href="/.well-known/matrix/client">/.well-known/matrix/client</a> and
<a href="/.well-known/matrix/support">/.well-known/matrix/support</a>.</p>
<form action="/api/report" method="get">
<label>Check federation of <input name="server_name" placeholder="example.com" required></label>
<button type="submit">Check</button>
</form>
<p>API: <code>/api/report?server_name=NAME</code> (matrix-federation-tester JSON), <code>/api/federation-ok?server_name=NAME</code>
(<code>GOOD</code> or <code>BAD</code>), <code>/api/check?server_name=NAME</code> (the full report).</p>
</body>
</html>
`;

function prepare(body: Buffer, contentType: string): StaticFile {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return {
    body,
    headers: Object.freeze({
      'content-type': contentType,
      'content-length': String(body.byteLength),
      etag,
      // The files are not content-hashed: revalidate every time (a 304 thanks to the ETag).
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      // The page's URLs may carry the server name being checked: do not leak them to other sites.
      'referrer-policy': 'no-referrer',
      'content-security-policy': PAGE_CONTENT_SECURITY_POLICY,
    }),
  };
}

/**
 * Reads every regular file under `root` (dot files, dot directories and `*.md` files skipped, at most
 * {@link STATIC_LIMITS}) into memory, keyed by its URL path; `index.html` is also served at `/`. When `root`
 * does not exist or has no `index.html`, `/` is the built-in {@link PLACEHOLDER_PAGE}. Reading once at start
 * means no file system access per request and no path traversal to defend against.
 *
 * @example
 * ```ts
 * const site = loadStaticSite('/usr/share/matrix-delegation/web');
 * site.files.get('/')?.headers['content-type']; // 'text/html; charset=utf-8'
 * ```
 */
export function loadStaticSite(root: string): StaticSite {
  const files = new Map<string, StaticFile>();
  const warnings: string[] = [];
  let found = true;
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (depth === 0) found = false;
      else warnings.push(`cannot read ${dir}: ${(error as Error).message}`);
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      let stats;
      try {
        stats = statSync(full); // follows symbolic links, so a linked build directory works
      } catch (error) {
        warnings.push(`cannot read ${full}: ${(error as Error).message}`);
        continue;
      }
      if (stats.isDirectory()) {
        if (depth + 1 >= STATIC_LIMITS.maxDepth)
          warnings.push(`skipped ${full}: deeper than ${STATIC_LIMITS.maxDepth} levels`);
        else walk(full, depth + 1);
        continue;
      }
      if (!stats.isFile()) continue;
      // web/README.md and the like describe the page to its editors; they are not part of the site.
      if (NOT_SERVED_EXTENSIONS.has(extname(entry.name).toLowerCase())) continue;
      if (stats.size > STATIC_LIMITS.maxFileBytes) {
        warnings.push(`skipped ${full}: larger than ${STATIC_LIMITS.maxFileBytes} bytes`);
        continue;
      }
      if (files.size >= STATIC_LIMITS.maxFiles) {
        warnings.push(`skipped ${full}: more than ${STATIC_LIMITS.maxFiles} files`);
        continue;
      }
      const urlPath = '/' + relative(root, full).split(sep).join('/');
      files.set(urlPath, prepare(readFileSync(full), contentTypeOf(full)));
    }
  };
  walk(root, 0);
  const index = files.get('/index.html');
  files.set('/', index ?? prepare(Buffer.from(PLACEHOLDER_PAGE, 'utf8'), 'text/html; charset=utf-8'));
  return { root: found && index !== undefined ? root : null, files, warnings };
}

/** True when the request's `If-None-Match` names `etag` (or is `*`). */
function notModified(req: IncomingMessage, etag: string | undefined): boolean {
  const header = req.headers['if-none-match'];
  if (header === undefined || etag === undefined) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** Sends a file, or 304 when the client's copy is current. */
export function sendStaticFile(req: IncomingMessage, res: ServerResponse, file: StaticFile): void {
  if (notModified(req, file.headers.etag)) {
    const { 'content-length': _length, 'content-type': _type, ...headers } = file.headers;
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, file.headers);
  res.end(file.body);
}
