// Imports only run down: the MCP surface (server, transports, CLI) -> tools/ -> the application (context, config,
// backend, guidance) -> plan / intent / stage -> safety -> the emulator -> patch -> aws -> the SDK. A module that
// imports from a layer above it fails this test, naming the import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SURFACE = new Set(['cli.ts', 'server.ts', 'http.ts', 'httpSessions.ts', 'earlyStdio.ts', 'stdioDrain.ts', 'progress.ts', 'httpToken.ts']);
const LEAVES = new Set(['errors.ts', 'log.ts', 'version.ts', 'defaults.ts', 'loopback.ts', 'usage.ts']);
/** Higher imports lower, never the other way round. */
const RANK: Record<string, number> = { surface: 7, tools: 6, app: 5, guidance: 5, plan: 4, intent: 4, stage: 4, safety: 3, emulator: 2.5, patch: 2, aws: 1, leaf: 0 };

/** The layer of a file, by where it is. */
export function layerOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  if (parts[0] === 'tools') return 'tools';
  if (parts.length === 2) return SURFACE.has(parts[1]) ? 'surface' : LEAVES.has(parts[1]) ? 'leaf' : 'app';
  return parts[1];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import (static, type-only, re-export or dynamic) of a file, resolved to a .ts file. */
function importsOf(file: string, read: (file: string) => string): string[] {
  const text = read(file);
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)].map((m) => normalize(join(dirname(file), m[1] ?? m[2])).replace(/\.js$/, '.ts'));
}

/** The imports that go up a layer: "from -> to (layer -> layer)". */
export function upward(sources: string[], read = (file: string) => readFileSync(file, 'utf8')): string[] {
  return sources.flatMap((file) =>
    importsOf(file, read)
      .filter((target) => RANK[layerOf(target)] > RANK[layerOf(file)])
      .map((target) => `${relative(ROOT, file)} -> ${relative(ROOT, target)} (${layerOf(file)} -> ${layerOf(target)})`),
  );
}

describe('the import graph', () => {
  const sources = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'tools'))];

  it('knows the layer of every module', () => {
    for (const file of sources) expect(RANK[layerOf(file)], relative(ROOT, file)).toBeDefined();
  });

  it('has no import from a layer above', () => {
    expect(upward(sources)).toEqual([]);
  });

  it('names an upward import: the gateway importing the rules table, a type import included', () => {
    const aws = join(ROOT, 'src', 'aws', 'gateway.ts');
    const fake = () => "import type { PatchOperation } from '../patch/rules.js';\nconst later = () => import('../emulator/server.js');";
    expect(upward([aws], fake)).toEqual(['src/aws/gateway.ts -> src/patch/rules.ts (aws -> patch)', 'src/aws/gateway.ts -> src/emulator/server.ts (aws -> emulator)']);
  });
});
