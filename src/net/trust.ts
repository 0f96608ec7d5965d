// The trust store: the system's CAs plus extra CAs from options or NODE_EXTRA_CA_CERTS.

import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { MatrixDelegationError } from '../errors.js';

/**
 * The CA list to pass as `tls.connect({ ca })`, or undefined to use Node's defaults.
 *
 * Passing `ca` replaces Node's default trust (including NODE_EXTRA_CA_CERTS), so when extra CAs are given the
 * list is rebuilt from `tls.rootCertificates`, the file NODE_EXTRA_CA_CERTS names, and the extras.
 */
export function buildTrustedCas(extra: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (extra === undefined || extra.length === 0) return undefined;
  const list = [...rootCertificates];
  const extraFile = env['NODE_EXTRA_CA_CERTS'];
  if (extraFile) {
    try {
      list.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node itself only warns when the file is unreadable; do the same by ignoring it.
    }
  }
  list.push(...extra);
  return list;
}

/** Reads a PEM file of CA certificates (for `--ca-file`), with an error that names the file. */
export function readCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `cannot read the CA file ${path}: ${(cause as Error).message}`, { cause });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `the CA file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return text;
}
