import { z } from 'zod';
import { findingsFor } from '../src/intent/findings.js';
import { methodsOf } from '../src/intent/inventory.js';
import { TargetSchema } from '../src/intent/target.js';
import { defineTool, READ } from './tool.js';

const READ_ONLY_NEED = {
  kind: 'outside',
  what: 'This server runs with --read-only, so it has no write tools: make the fix call on a server without --read-only, or make the change in the console or your IaC.',
} as const;

export default defineTool({
  name: 'audit_integrations',
  description:
    'Finds risky integration settings of an API: severity, reason and the fixing call. Changes nothing.',
  input: TargetSchema.pick({ restApiId: true, apiName: true }),
  output: z.object({
    backend: z.string(),
    restApiId: z.string(),
    checked: z.number().describe('Integrations checked'),
    findings: z.array(z.record(z.string(), z.unknown())),
  }),
  listed: [],
  toolset: 'audit',
  annotations: READ,
  async run(args, ctx) {
    const { api, methods } = await methodsOf(ctx, args);
    const integrated = methods.filter((m) => m.method.methodIntegration);
    // The embedded Methods carry their methodResponses too, so checking whether a fix is ready costs no extra call.
    const findings = integrated.flatMap(({ path, resourceId, httpMethod, method }) => {
      const target = { restApiId: api.id, resourcePath: path, httpMethod };
      return findingsFor(method.methodIntegration, ctx.env, { method, at: { ...target, resourceId } }).map(({ fix, ...f }) => ({
        ...target,
        ...f,
        // A read-only server has no write tool to make the fix with: say where it can be made instead.
        ...(ctx.config.readOnly ? { ready: false, needs: f.needs ?? READ_ONLY_NEED } : {}),
        fix: { tool: fix.tool, arguments: { ...target, ...fix.arguments } },
      }));
    });
    const checked = integrated.length;
    const order = { high: 0, medium: 1, low: 2 } as const;
    findings.sort((a, b) => order[a.severity] - order[b.severity]);
    return { backend: ctx.backend.label, restApiId: api.id, checked, findings };
  },
});
