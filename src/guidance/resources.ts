// Resources for clients that browse them: the patch rules, each integration (by template), and the audit log.
import { ResourceNotFoundError, ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import type { ServerContext } from '../context.js';
import { renderRulesTable } from '../patch/rulesDoc.js';

export function registerResources(server: McpServer, ctx: ServerContext): void {
  server.registerResource(
    'patch-rules',
    'apigw://rules',
    { title: 'Patch rules', description: 'Which integration path takes which op and value, and its risk level.', mimeType: 'text/markdown' },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/markdown', text: `# API Gateway integration patch rules\n\n${renderRulesTable()}\n` }],
    }),
  );

  server.registerResource(
    'changes',
    'apigw://changes',
    { title: 'Audit log', description: 'Changes applied by this server, newest first (JSON).', mimeType: 'application/json' },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(ctx.audit.read().reverse().slice(0, 200), null, 2) }],
    }),
  );

  server.registerResource(
    'integration',
    new ResourceTemplate('apigw://{restApiId}/{resourceId}/{httpMethod}/integration', { list: undefined }),
    { title: 'Integration', description: 'One integration as API Gateway returns it (JSON).', mimeType: 'application/json' },
    async (uri, vars) => {
      const gateway = await ctx.backend.gateway();
      const one = (v: string | string[]) => (Array.isArray(v) ? v[0] : v);
      const integration = await gateway
        .getIntegration({ restApiId: one(vars.restApiId), resourceId: one(vars.resourceId), httpMethod: one(vars.httpMethod).toUpperCase() })
        .catch((err: { name?: string; message?: string }) => {
          // Not an internal error: the ids name nothing. Say so, and where the right ones are.
          if (err?.name === 'NotFoundException') throw new ResourceNotFoundError(uri.href, `No integration at ${uri.href}: ${err.message}. The tools list_apis and list_integrations give the ids.`);
          throw err;
        });
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(integration, null, 2) }] };
    },
  );
}
