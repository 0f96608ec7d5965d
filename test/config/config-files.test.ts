// The files a config names are read only when they are regular files within their size limit, at once and without blocking (issue 13, item 4).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONFIG_FILE_BYTES, MAX_PEM_FILE_BYTES, loadConfig, loadConfigAsync } from '../../src/config/index.js';
import type { ConfigResult } from '../../src/config/index.js';
import { readRegularFile, readRegularFileSync } from '../../src/config/read-file.js';
import { readCaFile } from '../../src/net/trust.js';
import { createCertificateAuthority } from '../../src/testing/index.js';

let dir: string;
let socketServer: Server;
const paths = {
  fifo: '',
  directory: '',
  socket: '',
  large: '',
  largePem: '',
  regular: '',
  link: '',
  cert: '',
  key: '',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-config-files-'));
  paths.fifo = join(dir, 'fifo');
  if (spawnSync('mkfifo', [paths.fifo]).status !== 0) throw new Error('mkfifo failed');
  paths.directory = join(dir, 'a-directory');
  mkdirSync(paths.directory);
  paths.socket = join(dir, 'unix.sock');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(paths.socket, resolve));
  // Sparse: 1 MiB + 1 byte of nothing, so nothing is written to disk.
  paths.large = join(dir, 'large.pem');
  writeFileSync(paths.large, '');
  truncateSync(paths.large, MAX_PEM_FILE_BYTES + 1);
  paths.regular = join(dir, 'regular.txt');
  writeFileSync(paths.regular, 'hello\n');
  paths.link = join(dir, 'link.txt');
  symlinkSync(paths.regular, paths.link);
  const ca = await createCertificateAuthority();
  const cert = await ca.issue({ dnsNames: ['example.org'] });
  paths.cert = join(dir, 'cert.pem');
  paths.key = join(dir, 'key.pem');
  writeFileSync(paths.cert, cert.fullChainPem);
  writeFileSync(paths.key, cert.keyPem);
  // A usable chain followed by 1 MiB of text outside any PEM block: valid, but over the limit.
  paths.largePem = join(dir, 'large-chain.pem');
  writeFileSync(paths.largePem, `${cert.fullChainPem}${'# padding\n'.repeat(MAX_PEM_FILE_BYTES / 10 + 1)}`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => socketServer.close(() => resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const limits = { maxBytes: MAX_PEM_FILE_BYTES, timeoutMs: 5000 };

describe('readRegularFile / readRegularFileSync', () => {
  it.each([
    ['a FIFO', () => paths.fifo, 'ENOTREGULAR'],
    ['/dev/zero', () => '/dev/zero', 'ENOTREGULAR'],
    ['a directory', () => paths.directory, 'ENOTREGULAR'],
    ['a UNIX socket', () => paths.socket, 'ENOTREGULAR'],
    ['a file over the limit', () => paths.large, 'EFILETOOLARGE'],
    ['a missing file', () => join(dir, 'nope'), 'ENOENT'],
  ])('refuses %s', async (_name, path, code) => {
    await expect(readRegularFile(path(), limits)).rejects.toMatchObject({ code });
    expect(() => readRegularFileSync(path(), limits)).toThrow(expect.objectContaining({ code }) as Error);
  });

  it('reads a regular file, also through a symbolic link', async () => {
    expect(await readRegularFile(paths.link, limits)).toBe('hello\n');
    expect(readRegularFileSync(paths.link, limits)).toBe('hello\n');
  });
});

function errorsOf(result: ConfigResult): { key: string; code: string }[] {
  return result.ok ? [] : result.errors.map((e) => ({ key: e.key, code: e.code }));
}

function tlsConfig(certPath: string, keyPath: string): string {
  return `server_name: example.org
delegation_target: matrix.example.org:443
listeners:
  - port: 8443
    tls: true
tls_certificate_path: ${certPath}
tls_private_key_path: ${keyPath}
`;
}

describe('loadConfig and loadConfigAsync', () => {
  it.each([
    [
      'a FIFO as the certificate',
      () => tlsConfig(paths.fifo, paths.key),
      [{ key: 'tls_certificate_path', code: 'not-a-regular-file' }],
    ],
    [
      '/dev/zero as the key',
      () => tlsConfig(paths.cert, '/dev/zero'),
      [{ key: 'tls_private_key_path', code: 'not-a-regular-file' }],
    ],
    [
      'a directory as the key',
      () => tlsConfig(paths.cert, paths.directory),
      [{ key: 'tls_private_key_path', code: 'not-a-regular-file' }],
    ],
    [
      'a certificate over 1 MiB',
      () => tlsConfig(paths.largePem, paths.key),
      [{ key: 'tls_certificate_path', code: 'file-too-large' }],
    ],
    ['good files', () => tlsConfig(paths.cert, paths.key), []],
  ])('%s', async (_name, yaml, expected) => {
    const configPath = join(dir, 'serve.yaml');
    writeFileSync(configPath, yaml());
    expect(errorsOf(await loadConfigAsync(configPath))).toEqual(expected);
    expect(errorsOf(loadConfig(configPath))).toEqual(expected);
  });

  it('the async loader reads the certificate and key it validates', async () => {
    const configPath = join(dir, 'good.yaml');
    writeFileSync(configPath, tlsConfig(paths.cert, paths.key));
    const result = await loadConfigAsync(configPath);
    expect(result.ok && result.config.tls?.certificatePath).toBe(paths.cert);
  });

  it.each([
    ['a FIFO', () => paths.fifo, 'not-a-regular-file'],
    ['/dev/zero', () => '/dev/zero', 'not-a-regular-file'],
    ['a file over 1 MiB', () => join(dir, 'huge.yaml'), 'file-too-large'],
  ])('the config file itself: %s', async (_name, path, code) => {
    writeFileSync(join(dir, 'huge.yaml'), `server_name: example.org\n# ${'x'.repeat(MAX_CONFIG_FILE_BYTES)}\n`);
    expect(errorsOf(await loadConfigAsync(path()))).toEqual([{ key: '(file)', code }]);
    expect(errorsOf(loadConfig(path()))).toEqual([{ key: '(file)', code }]);
  });
});

describe('--ca-file (readCaFile)', () => {
  it.each([
    ['a FIFO', () => paths.fifo],
    ['/dev/zero', () => '/dev/zero'],
    ['a PEM file over 1 MiB', () => paths.largePem],
  ])('refuses %s with INVALID_ARGUMENT', (_name, path) => {
    expect(() => readCaFile(path())).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });
});
