// The tool catalog as a model reads it: every tool and field described, annotations explicit, small enough to
// read on every conversation, and each tool's schema snapshotted so an unintended change fails.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../src/config.js';
import { createContext } from '../src/context.js';
import { createServer } from '../src/server.js';

const config = ConfigSchema.parse({ backend: 'local', statePath: '/nonexistent/never-written.json', auditLog: '/nonexistent/audit.jsonl', maxTimeoutMs: 29000 });
let tools: Awaited<ReturnType<Client['listTools']>>['tools'];
/** Every tool of every configuration: the default, the opt-in toolsets, and what --read-only alone lists. */
let allTools: typeof tools;

async function listed(c: typeof config) {
  const server = createServer(createContext(c));
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const cl = new Client({ name: 'catalog-test', version: '1' });
  await cl.connect(b);
  const out = (await cl.listTools()).tools;
  await cl.close();
  return out;
}

beforeAll(async () => {
  tools = await listed(config);
  const more = [...(await listed({ ...config, toolsets: ['raw', 'audit'] })), ...(await listed({ ...config, readOnly: true }))];
  allTools = [...new Map([...tools, ...more].map((t) => [t.name, t])).values()];
});

function undescribed(schema: any, at: string): string[] {
  const out: string[] = [];
  for (const [name, prop] of Object.entries<any>(schema.properties ?? {})) {
    const where = `${at}.${name}`;
    const inner = prop.anyOf ? prop.anyOf.find((x: any) => x.type !== 'null') : prop;
    if (!prop.description && !inner?.description) out.push(where);
    if (inner?.type === 'object') out.push(...undescribed(inner, where));
  }
  return out;
}

describe('tool catalog', () => {
  it('lists every tool', () => {
    expect(tools.map((t) => t.name).sort()).toEqual([
      'deploy_api', 'enable_cors', 'get_integration', 'list_apis', 'list_changes', 'list_integrations', 'list_stages', 'set_timeout', 'set_tls_verification', 'undo_change',
      'update_integration', 'update_integration_response', 'update_integrations', 'update_method', 'update_stage_cache',
    ]);
  });

  it('stays within 14 KB as JSON (14,000 bytes, the stricter reading), so a model can read it on every conversation', () => {
    const size = Buffer.byteLength(JSON.stringify({ tools }));
    expect(size).toBeLessThanOrEqual(14_000);
  });

  it('lists the target once per level: restApiId takes an id or a name, resourcePath a path (apiName and resourceId are taken, unlisted)', () => {
    const names = (schema: any): string[] => Object.entries<any>(schema.properties ?? {}).flatMap(([k, v]) => [k, ...names(v), ...names(v.items ?? {})]);
    for (const t of allTools) {
      expect(names(t.inputSchema), t.name).not.toContain('apiName');
      expect(names(t.inputSchema), t.name).not.toContain('resourceId');
    }
  });

  it('stays within 15 KB with per-call profiles and regions too (two of each)', async () => {
    const multi = ConfigSchema.parse({ ...config, backend: 'aws', profile: 'prod', region: 'eu-west-1', allowProfiles: ['staging'], allowRegions: ['us-east-1'] });
    const server = createServer(createContext(multi));
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(a);
    const c = new Client({ name: 'catalog-test', version: '1' });
    await c.connect(b);
    const listed = (await c.listTools()).tools;
    await c.close();
    expect((listed.find((t) => t.name === 'get_integration')!.inputSchema.properties as any).profile.enum).toEqual(['prod', 'staging']);
    expect(Buffer.byteLength(JSON.stringify({ tools: listed }))).toBeLessThanOrEqual(15_000);
  });

  it('sets all four annotations explicitly on every tool', () => {
    for (const t of tools) {
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const)
        expect(typeof t.annotations?.[hint], `${t.name}.${hint}`).toBe('boolean');
    }
  });

  it('describes every tool and every input field (enums describe themselves)', () => {
    for (const t of allTools) {
      expect(t.description!.length, t.name).toBeGreaterThan(30);
      expect(undescribed(t.inputSchema, t.name)).toEqual([]);
    }
  });

  it('leaves patch_integration, audit_integrations and diff_stage to --toolsets (or --read-only for the read ones)', () => {
    const names = tools.map((t) => t.name);
    for (const hidden of ['patch_integration', 'audit_integrations', 'diff_stage']) expect(names).not.toContain(hidden);
    expect(allTools.map((t) => t.name)).toEqual(expect.arrayContaining(['patch_integration', 'audit_integrations', 'diff_stage']));
  });

  it('marks only the list/get tools read-only', () => {
    const readOnly = allTools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name).sort();
    expect(readOnly).toEqual(['audit_integrations', 'diff_stage', 'get_integration', 'list_apis', 'list_changes', 'list_integrations', 'list_stages']);
  });

  it('gives every tool an output schema', () => {
    for (const t of allTools) expect(t.outputSchema?.type, t.name).toBe('object');
  });

  it.each(['list_apis', 'list_integrations', 'get_integration', 'update_integration', 'set_timeout', 'set_tls_verification', 'update_integration_response', 'patch_integration', 'list_changes', 'undo_change', 'deploy_api', 'audit_integrations', 'list_stages', 'diff_stage', 'update_method', 'update_integrations', 'enable_cors', 'update_stage_cache'])(
    'keeps the schema of %s as snapshotted (update with vitest -u when the change is meant)',
    async (name) => {
      const t = allTools.find((x) => x.name === name)!;
      await expect(JSON.stringify({ inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations }, null, 2)).toMatchFileSnapshot(`__toolsnaps__/${name}.json`);
    },
  );
});
