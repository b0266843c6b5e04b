// Builds the published bundle with esbuild: dist/cli.js plus lazy chunks in dist/chunks/.
//
// One ESM entry (src/cli.ts), every dependency bundled and minified, code splitting on: what `import()` reaches
// (the AWS SDK, the embedded emulator, the Streamable HTTP transport with @modelcontextprotocol/node, the stdio
// transport, the MCP server and tool catalog) becomes a chunk loaded on first use, so `--version`/`--help` load
// only the entry and a stdio `initialize` never loads the AWS SDK, the emulator or the HTTP stack.
// tsc stays the type check (`npm run typecheck`); esbuild only strips types.
//
//   node scripts/build.mjs               build dist/
//   node scripts/build.mjs --analyze     also print what each output file holds (biggest inputs first)
//   node scripts/build.mjs --sourcemap   also write linked source maps (run with node --enable-source-maps)
//   node scripts/build.mjs --no-minify   readable output (for profiling: esbuild marks each source module)
//   node scripts/build.mjs --outdir=DIR  build somewhere else (to compare variants)
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const outdir = arg('outdir') ? resolve(arg('outdir')) : join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const analyze = process.argv.includes('--analyze');
const sourcemap = process.argv.includes('--sourcemap');

// Written to a staging folder, then swapped in with two renames: no stale chunks (their names carry hashes) or
// tsc output from older builds, and a server or test started meanwhile never sees a half-written dist/.
// (Under node_modules/.cache for the default dist/, so a crashed build leaves nothing git would see.)
const scratch = arg('outdir') ? dirname(outdir) : join(root, 'node_modules', '.cache', 'apigw-build');
mkdirSync(scratch, { recursive: true });
const staging = join(scratch, `staging-${process.pid}`);
rmSync(staging, { recursive: true, force: true });

// `import { z } from 'zod'` binds zod's whole namespace object as one value, which keeps all of zod (every
// schema type, every locale) in the bundle and runs it at start. `import * as z from 'zod'` is the same namespace
// to our code (we only use z.<member>), and lets esbuild keep just the members we touch.
const zodNamespace = {
  name: 'zod-namespace-import',
  setup(b) {
    b.onLoad({ filter: /[\\/](src|tools)[\\/].*\.ts$/ }, async (args) => {
      const text = readFileSync(args.path, 'utf8');
      return { contents: text.replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"), loader: 'ts' };
    });
  },
};

// The MCP SDK's ajv provider runs all of ajv and ajv-formats (CommonJS, bundled inside the SDK) when its module
// is evaluated, although it only builds a validator on first use (an elicitation answer to check): ~8 ms at
// every start. Make those four module objects load on first property access instead. If the SDK's output
// changes shape, the build warns and leaves the file as it is (slower start, same behaviour).
const LAZY_AJV = [
  [/^var (import_ajv|import__2019|import__2020) = (require_\w+)\(\);$/gm, (_, v, req) => `var ${v} = __lazyModule(${req});`],
  [/^var import_dist = \/\* @__PURE__ \*\/ __toESM\(require_dist\(\), 1\);$/gm, () => 'var import_dist = __lazyModule(() => __toESM(require_dist(), 1));'],
  [/^const addFormats = import_dist\.default;$/gm, () => 'const addFormats = (...args) => import_dist.default(...args);'],
  [/^const Ajv = import_ajv\.Ajv;$/gm, () => 'const Ajv = new Proxy(function Ajv() {}, { construct: (_, args) => new import_ajv.Ajv(...args), get: (_, k) => import_ajv.Ajv[k] });'],
];
const LAZY_MODULE = 'function __lazyModule(load) { let m; const get = () => (m ??= load()); return new Proxy({}, { get: (_, k) => get()[k], has: (_, k) => k in get(), ownKeys: () => Reflect.ownKeys(get()), getOwnPropertyDescriptor: (_, k) => Reflect.getOwnPropertyDescriptor(get(), k) }); }\n';
const lazyAjv = {
  name: 'lazy-ajv',
  setup(b) {
    b.onLoad({ filter: /@modelcontextprotocol[\\/](server|client)[\\/]dist[\\/]ajvProvider-[\w-]+\.mjs$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [re, to] of LAZY_AJV) {
        const next = text.replace(re, to);
        if (next === text) return { warnings: [{ text: `lazy-ajv: no match for ${re} in ${args.path}; ajv stays eager` }] };
        text = next;
      }
      return { contents: LAZY_MODULE + text, loader: 'js' };
    });
  },
};

const result = await build({
  plugins: [zodNamespace, lazyAjv],
  write: false,
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: !process.argv.includes('--no-minify'),
  // No keepNames: it wraps every function and class in a naming call, ~20 ms at start. Nothing here depends on
  // minified names: errors carry explicit `name`s (ours: ToolError; the AWS SDK's: the error code), and the few
  // constructor.name reads in the SDKs only go into messages or pick a logger (NoOpLogger stays silent).
  keepNames: false,
  sourcemap: sourcemap ? 'linked' : false,
  legalComments: 'none',
  // CommonJS dependencies (parts of the AWS SDK) call require() for Node builtins; ESM has no require, so give
  // them one (process.getBuiltinModule: Node >= 20.16, no import needed).
  banner: { js: 'const require=globalThis.process.getBuiltinModule("module").createRequire(import.meta.url);' },
  // Pick the ESM build of dual packages, then the Node one.
  mainFields: ['module', 'main'],
  conditions: ['node', 'import'],
  metafile: true,
  logLevel: 'warning',
});

// Node builtins imported as ESM get a module facade whose exports are all read at link time, which runs the
// builtins' lazy getters (fs streams and promises, crypto's webcrypto, http's agents...): about 6 ms at start for
// the ones we use. process.getBuiltinModule returns the same objects without a facade, so static imports of
// builtins become constants. (Builtins' exports are fixed objects: a live binding buys nothing.) Dynamic
// import() of builtins stays as it is.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const destructure = (names) =>
  names
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
    .map((n) => {
      const [imported, local = imported] = n.split(/\s+as\s+/);
      return imported === local ? imported : `${imported}:${local}`;
    });
function requireBuiltins(code, file) {
  let n = 0;
  const hoisted = [];
  const body = code.replace(/(?<=^|[;\n}])import\s*([^;"'()]*?)\s*from\s*"([^"]+)";?|import\s*"([^"]+)";?/g, (all, clause, spec, bare) => {
    const name = spec ?? bare;
    if (!builtins.has(name)) return all;
    const get = `globalThis.process.getBuiltinModule(${JSON.stringify(name)})`;
    // Blanked to the same length, so source map columns still match.
    if (bare) return ' '.repeat(all.length); // a builtin imported for its side effects: it has none
    const m = /^(?:([\w$]+)\s*,?\s*)?(?:\*\s*as\s+([\w$]+)|\{([^}]*)\})?$/.exec(clause);
    if (!m) throw new Error(`${file}: cannot rewrite ${all}`);
    const [, def, ns, named] = m;
    const whole = def ?? ns;
    const parts = named ? destructure(named) : [];
    // `default` of a builtin is the module itself.
    const aliases = parts.filter((p) => p === 'default' || p.startsWith('default:')).map((p) => p.split(':')[1] ?? 'default');
    const rest = parts.filter((p) => p !== 'default' && !p.startsWith('default:'));
    const decls = [];
    const base = whole ?? aliases[0] ?? `__builtin${n++}`;
    decls.push(`${base}=${get}`);
    for (const a of aliases) if (a !== base) decls.push(`${a}=${base}`);
    if (rest.length) decls.push(`{${rest.join(',')}}=${base}`);
    hoisted.push(`const ${decls.join(',')};`);
    return ' '.repeat(all.length);
  });
  // ESM imports are hoisted; so are these (they depend on nothing): appended to the banner, the first line.
  const cut = body.indexOf('\n');
  return body.slice(0, cut) + hoisted.join('') + body.slice(cut);
}
mkdirSync(join(staging, 'chunks'), { recursive: true });
for (const f of result.outputFiles) {
  const text = f.path.endsWith('.js') ? requireBuiltins(f.text, f.path) : f.text;
  writeFileSync(join(staging, relative(outdir, f.path)), text);
}

// The bundle carries code of the packages it was built from: ship their licenses with it.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(@[^/]+\/[^/]+|[^@/][^/]*))\//.exec(input);
  if (m && !packages.has(m[2])) packages.set(m[2], join(root, m[1]));
}
// One section per distinct license text, naming every package that carries it.
const byText = new Map();
for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `${meta.license ?? 'See the package.'} (no license file in the package)`;
  byText.set(text, [...(byText.get(text) ?? []), `${name}@${meta.version} (${meta.license ?? 'unknown'})`]);
}
const notices = [...byText].map(([text, names]) => `${names.join('\n')}\n\n${text}\n`);
writeFileSync(join(staging, 'THIRD_PARTY_LICENSES.txt'), `Third-party code bundled into ${pkg.name}'s dist/ folder, by license text.\n\n${notices.join(`\n${'-'.repeat(78)}\n\n`)}`);

const old = join(scratch, `old-${process.pid}`);
if (existsSync(outdir)) renameSync(outdir, old);
renameSync(staging, outdir);
rmSync(old, { recursive: true, force: true });

const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const total = outputs.reduce((s, [, o]) => s + o.bytes, 0);
process.stderr.write(`built ${pkg.name} ${pkg.version}: ${outputs.length} files, ${kb(total)} in ${relative(process.cwd(), outdir) || '.'} (entry ${kb(outputs.find(([, o]) => o.entryPoint === 'src/cli.ts')[1].bytes)})\n`);
if (analyze) {
  for (const [file, o] of outputs.sort((a, b) => b[1].bytes - a[1].bytes)) {
    const inputs = Object.entries(o.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
    const top = inputs.slice(0, 6).map(([i, v]) => `${i.replace(/^node_modules\//, '')} ${kb(v.bytesInOutput)}`);
    process.stderr.write(`${file} ${kb(o.bytes)}${o.entryPoint ? ` (entry ${o.entryPoint})` : ''}\n    ${top.join('\n    ')}\n`);
  }
}
