// `npm run build`: the library with tsc (modules + declarations in dist/), then the CLI bundled by esbuild into dist/cli/.

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { rollup } from 'rollup';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');

/**
 * Packages the CLI bundle leaves to node_modules, loaded only on the paths that use them: the log and metrics
 * libraries of `serve` (pino starts worker threads from its own files), the Redis client (only for a Redis store) and
 * the certificate library of the lab. Everything else the CLI uses (commander, dns-packet, undici, yaml, ...) is
 * bundled: an ES module that imports a CommonJS package pays for Node's CommonJS translation on every start.
 */
export const CLI_EXTERNAL_PACKAGES = ['pino', 'prom-client', 'ioredis', '@peculiar/x509', 'reflect-metadata'] as const;

/** The package version, written into the bundle so that `--version` reads no file. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('package.json has no version');
  return pkg.version;
}

/** Replaces src/version.ts (which reads package.json next to dist/) by its constants. */
function inlineVersion(version: string): Plugin {
  return {
    name: 'inline-version',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
        loader: 'ts',
        contents: `export const VERSION: string = ${JSON.stringify(version)};\nexport const USER_AGENT = \`matrix-delegation/\${VERSION}\`;\n`,
      }));
    },
  };
}

/**
 * In the bundle, a CommonJS package the sources load with `createRequire(import.meta.url)('name')` (to spare the
 * library Node's CommonJS-to-ESM translation) is bundled like an imported one: the call becomes a plain `require`,
 * which esbuild follows (or leaves to the banner's `require` for the external packages).
 */
function bundleCreateRequire(): Plugin {
  return {
    name: 'bundle-create-require',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('createRequire(import.meta.url)(')) return undefined;
        return { loader: 'ts', contents: source.replaceAll('createRequire(import.meta.url)(', 'require(') };
      });
    },
  };
}

/**
 * commander requires `node:child_process` when it loads, for the executable sub-commands (`git-style` commands run as
 * their own programs) that this CLI does not have. That loads ten more of Node's own modules on every command
 * (`child_process`, `dgram`, the process, pipe and UDP bindings: `process.moduleLoadList`), about 2 ms of a start
 * measured with hyperfine. In the bundle, the module is required when commander first spawns, which it never does
 * here. The build fails when commander's line changes, rather than quietly loading it again.
 */
function lazyChildProcessInCommander(): Plugin {
  const eager = "const childProcess = require('node:child_process');";
  const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
  return {
    name: 'lazy-child-process-in-commander',
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(eager))
          throw new Error(
            `${args.path}: commander no longer requires node:child_process as the build expects (${eager})`,
          );
        const uses = [...source.matchAll(/childProcess\.(\w+)/g)].map((m) => m[1]);
        const other = uses.find((name) => name !== 'spawn');
        if (other !== undefined)
          throw new Error(`${args.path}: commander now uses childProcess.${other}; extend the build's shim`);
        return { loader: 'js', contents: source.replace(eager, lazy) };
      });
    },
  };
}

/** Runs tsc on tsconfig.build.json (every module of src/, with declarations) into `outDir`. */
function buildLibrary(outDir: string): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`tsc failed (exit ${String(result.status ?? result.signal)})`);
}

/**
 * Builds the CLI into dist/cli/: main.js plus chunks, split at every dynamic `import()` so that a command loads only
 * the code its path runs (each command's `-run` module, the resolver, the checker, the server, undici). Two stages:
 *
 * 1. esbuild compiles and bundles (TypeScript, and the CommonJS packages turned into ES module code), split at the
 *    dynamic imports, into a staging directory.
 * 2. rollup arranges those files into the chunks shipped. esbuild gives every set of entry points that shares code its
 *    own chunk, so `--help` would read 14 files and `resolve` 23; rollup knows which modules are already loaded when a
 *    dynamic import runs (those of its importer) and leaves them in the importer's chunk: 3 and 9 files. Each file is
 *    a module Node must resolve, read and compile, about 0.3 ms apiece on the reference machine (BENCHMARKS.md).
 *
 * Every file lands directly in dist/cli/ (no sub-directory): modules that find files relative to their own URL
 * (`../../web/` for the tester page) then find them as they do from dist/<layer>/.
 */
async function buildCli(version: string, cliOut: string): Promise<void> {
  const staging = mkdtempSync(join(tmpdir(), 'matrix-delegation-cli-'));
  try {
    const result = await build({
      entryPoints: { main: join(ROOT, 'src', 'cli', 'main.ts') },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.18',
      chunkNames: '[name]-[hash]',
      external: [...CLI_EXTERNAL_PACKAGES],
      // Bundled CommonJS packages call require() for Node's built-in modules: give the ES module chunks one.
      banner: {
        js: "import { createRequire as __mdCreateRequire } from 'node:module';\nconst require = __mdCreateRequire(import.meta.url);",
      },
      plugins: [inlineVersion(version), bundleCreateRequire(), lazyChildProcessInCommander()],
      legalComments: 'none',
      metafile: true,
      logLevel: 'warning',
    });
    refuseDynamicImportsOfCommonJs(staging);
    const bundle = await rollup({
      input: { main: join(staging, 'main.js') },
      external: (id) => id.startsWith('node:') || (CLI_EXTERNAL_PACKAGES as readonly string[]).includes(id),
      onwarn: (warning, warn) => {
        // esbuild's chunks import each other in cycles (harmless: no chunk reads another's bindings while loading),
        // and name node:crypto bindings that one of its bundled modules imports but never calls.
        if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'UNUSED_EXTERNAL_IMPORT') return;
        warn(warning);
      },
    });
    // Chunks are .mjs: Node then knows them for ES modules without looking up the package.json that says so.
    await bundle.write({ dir: cliOut, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].mjs' });
    await bundle.close();
    writeThirdPartyNotices(Object.keys(result.metafile.inputs), cliOut);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const nested = readdirSync(cliOut, { withFileTypes: true }).find((entry) => entry.isDirectory());
  if (nested !== undefined)
    throw new Error(
      `the CLI bundle wrote a directory, dist/cli/${nested.name}; its files must sit in dist/cli/ itself`,
    );
}

/**
 * Fails the build when a source file imports a CommonJS package with `import()`: esbuild then gives the importer a
 * chunk whose only export is `default` (the package's exports object), while Node, which the library and the tests
 * run on, also gives the named exports, so code written for Node breaks in the bundle only ("Client is not a
 * constructor"). Import the package statically in a module of ours and `import()` that module instead.
 */
function refuseDynamicImportsOfCommonJs(dir: string): void {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const match = /^export default (require_\w+)\(\);$/m.exec(text);
    if (match !== null) {
      throw new Error(
        `${file}: a dynamic import() of a CommonJS package (${match[1]}) gets only a default export in the bundle; import it statically from a module of ours and import() that module`,
      );
    }
  }
}

/**
 * Writes dist/cli/THIRD-PARTY-NOTICES.txt: the licence text of every package whose code the bundle carries (their
 * licences ask that the notice travels with the code).
 */
function writeThirdPartyNotices(inputs: readonly string[], cliOut: string): void {
  const packages = new Set<string>();
  for (const input of inputs) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1] !== undefined) packages.add(match[1]);
  }
  const sections = [...packages].sort().map((name) => {
    const dir = join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string; license?: string };
    const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
    if (licenceFile === undefined) throw new Error(`${name} has no licence file to carry into the CLI bundle`);
    const text = readFileSync(join(dir, licenceFile), 'utf8').trim();
    return `${name} ${pkg.version ?? ''} (${pkg.license ?? 'see below'})\n\n${text}\n`;
  });
  const header =
    'The matrix-delegation command line (dist/cli/) bundles code of these packages, under these licences.\n';
  writeFileSync(join(cliOut, 'THIRD-PARTY-NOTICES.txt'), [header, ...sections].join(`\n${'-'.repeat(78)}\n\n`));
}

/**
 * Writes the root help (`matrix-delegation --help`) as commander lays it out, for main.js to print without loading
 * commander. It is rendered from the same sources the bundle is built from; test/cli/root-help.test.ts compares the
 * built CLI's output with commander's.
 */
async function writeRootHelp(cliOut: string): Promise<void> {
  const [{ runCli }, { ROOT_HELP_FILE }] = await Promise.all([
    import('../src/cli/program.js'),
    import('../src/cli/root-help.js'),
  ]);
  let out = '';
  let err = '';
  const code = await runCli(['--help'], {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env: {},
  });
  if (code !== 0 || err !== '' || out === '') throw new Error(`the root help did not render (exit ${code}): ${err}`);
  writeFileSync(join(cliOut, ROOT_HELP_FILE), out);
}

/** Total size of the files in a directory, for the build's last line. */
function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/**
 * Builds dist/ from scratch (a removed module must not linger in the package), in a directory of its own that then
 * replaces dist/ in two renames: a failed build (a type error) leaves the previous dist/ whole, and programs running
 * from dist/ meanwhile (tests that spawn the CLI) never find it half-written.
 */
export async function main(): Promise<void> {
  const work = join(ROOT, '.tmp', `dist-build-${process.pid}`);
  const old = join(ROOT, '.tmp', `dist-old-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  try {
    buildLibrary(work);
    // tsc's own output of the CLI modules is replaced by the bundle: the package exports no CLI module.
    rmSync(join(work, 'cli'), { recursive: true, force: true });
    const version = packageVersion();
    await buildCli(version, join(work, 'cli'));
    await writeRootHelp(join(work, 'cli'));
    const size = `${(sizeOf(work) / 1024).toFixed(0)} KB; CLI bundle ${(sizeOf(join(work, 'cli')) / 1024).toFixed(0)} KB`;
    if (existsSync(DIST)) renameSync(DIST, old);
    renameSync(work, DIST);
    process.stdout.write(`built dist/ (${size}) for ${version}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
