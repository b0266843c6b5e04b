import { z } from 'zod';
import { findingsFor } from '../src/intent/findings.js';
import { TargetSchema } from '../src/intent/target.js';
import type { Doc } from '../src/patch/values.js';
import { defineTool, READ } from './tool.js';

export default defineTool({
  name: 'audit_integrations',
  description:
    'Reviews every integration of an API for risky settings; each finding has a severity, the reason and the exact tool call that fixes it. Changes nothing.',
  input: TargetSchema.pick({ restApiId: true, apiName: true }),
  output: z.object({
    backend: z.string(),
    restApiId: z.string(),
    checked: z.number().describe('Integrations checked'),
    findings: z.array(z.record(z.string(), z.unknown())),
  }),
  listed: ['checked', 'findings'],
  annotations: READ,
  async run(args, ctx) {
    const gateway = await ctx.backend.gateway();
    const api = await ctx.resolver.resolveApi(gateway, args);
    const resources = await gateway.listResources(api.id, true);
    ctx.resolver.rememberPaths(api.id, resources);
    let checked = 0;
    const findings = resources
      .sort((a, b) => String(a.path).localeCompare(String(b.path)))
      .flatMap((r) =>
        Object.entries((r.resourceMethods ?? {}) as Record<string, Doc>).flatMap(([verb, m]) => {
          if (!m.methodIntegration) return [];
          checked++;
          const target = { restApiId: api.id, resourcePath: r.path as string, httpMethod: verb };
          return findingsFor(m.methodIntegration, ctx.env).map((f) => ({
            ...target,
            check: f.check,
            severity: f.severity,
            reason: f.reason,
            fix: { tool: f.fix.tool, arguments: { ...target, ...f.fix.arguments } },
          }));
        }),
      );
    const order = { high: 0, medium: 1, low: 2 } as const;
    findings.sort((a, b) => order[a.severity] - order[b.severity]);
    return { backend: ctx.backend.label, restApiId: api.id, checked, findings };
  },
});
