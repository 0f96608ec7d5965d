// The package version and the User-Agent every outgoing request carries.

function readVersion(): string {
  try {
    // src/version.ts and dist/version.js both sit one level below package.json.
    const { readFileSync } = process.getBuiltinModule('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The version of matrix-delegation, from package.json. */
export const VERSION: string = readVersion();

/** The default User-Agent: `matrix-delegation/<version>`. */
export const USER_AGENT = `matrix-delegation/${VERSION}`;
