// Test helper: Debian's python3-signedjson (Synapse's JSON signing library), run as an independent implementation.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's interpreter (not a pyenv or venv one, which would not see the Debian package). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
/** The file scripts/setup-system.sh looks for. */
export const SIGNEDJSON_MODULE = '/usr/lib/python3/dist-packages/signedjson/sign.py';

/** One operation for the Python side. */
export type SignedJsonOp =
  | {
      readonly op: 'sign';
      readonly seed: string;
      readonly version: string;
      readonly entity: string;
      readonly object: unknown;
    }
  | {
      readonly op: 'verify';
      readonly object: unknown;
      readonly entity: string;
      readonly version: string;
      readonly publicKey: string;
    }
  | { readonly op: 'generate'; readonly version: string }
  | {
      readonly op: 'authorization';
      readonly seed: string;
      readonly version: string;
      readonly origin: string;
      readonly destination: string;
      readonly method: string;
      readonly uri: string;
      readonly content?: unknown;
    };

// Each op uses signedjson's own functions only. `authorization` is the spec's example code ("Request Authentication",
// authorization_headers()) with signedjson's sign_json, unchanged in substance.
const SCRIPT = String.raw`
import json, sys, io
from signedjson.key import decode_signing_key_base64, decode_verify_key_bytes, generate_signing_key, get_verify_key, write_signing_keys, encode_verify_key_base64
from signedjson.sign import sign_json, verify_signed_json, SignatureVerifyException
from unpaddedbase64 import decode_base64

def run(op):
    kind = op["op"]
    if kind == "sign":
        key = decode_signing_key_base64("ed25519", op["version"], op["seed"])
        return sign_json(op["object"], op["entity"], key)
    if kind == "verify":
        verify_key = decode_verify_key_bytes("ed25519:" + op["version"], decode_base64(op["publicKey"]))
        try:
            verify_signed_json(op["object"], op["entity"], verify_key)
            return {"ok": True}
        except SignatureVerifyException as e:
            return {"ok": False, "error": str(e)}
    if kind == "generate":
        key = generate_signing_key(op["version"])
        out = io.StringIO()
        write_signing_keys(out, [key])
        return {"file": out.getvalue(), "publicKey": encode_verify_key_base64(get_verify_key(key))}
    if kind == "authorization":
        key = decode_signing_key_base64("ed25519", op["version"], op["seed"])
        request_json = {"method": op["method"], "uri": op["uri"], "origin": op["origin"], "destination": op["destination"]}
        if "content" in op:
            request_json["content"] = op["content"]
        signed_json = sign_json(request_json, op["origin"], key)
        headers = []
        for key_id, sig in signed_json["signatures"][op["origin"]].items():
            headers.append("X-Matrix origin=\"%s\",destination=\"%s\",key=\"%s\",sig=\"%s\"" % (op["origin"], op["destination"], key_id, sig))
        return headers[0]
    raise ValueError(kind)

ops = json.load(sys.stdin)
json.dump([run(op) for op in ops], sys.stdout)
`;

/**
 * Runs the operations in one Python process and returns their results in order. Fails (never skips) when Debian's
 * python3-signedjson is missing, naming the setup script.
 */
export function runSignedJson(ops: readonly SignedJsonOp[]): Promise<unknown[]> {
  if (!existsSync(DEBIAN_PYTHON) || !existsSync(SIGNEDJSON_MODULE)) {
    return Promise.reject(
      new Error(
        `Debian's python3-signedjson is missing (${SIGNEDJSON_MODULE}): run bash scripts/setup-system.sh as root`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const child = execFile(
      DEBIAN_PYTHON,
      ['-c', SCRIPT],
      { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`python3-signedjson failed: ${error.message}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(stdout) as unknown[]);
      },
    );
    child.stdin?.end(JSON.stringify(ops));
  });
}
