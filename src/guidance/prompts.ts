// Prompts that walk an agent through the safe way to change or review an API, with this server's tools.
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });
// restApiId takes a name as well as an id.
const apiArg = (api: string) => `restApiId: ${JSON.stringify(api)}`;

/** `audit`: the audit toolset is on (its prompt needs audit_integrations). */
export function registerPrompts(server: McpServer, readOnly: boolean, audit = true): void {
  if (!readOnly)
    server.registerPrompt(
      'change-integration-safely',
      {
        title: 'Change an integration safely',
        description: 'Look, preview, confirm, apply, deploy and verify one integration change.',
        argsSchema: z.object({
          api: z.string().describe('API name or id'),
          path: z.string().describe('Resource path, e.g. /orders/{id}'),
          method: z.string().describe('HTTP method, e.g. GET'),
          change: z.string().describe('What to change, in words'),
        }),
      },
      ({ api, path, method, change }) => {
        const target = `${apiArg(api)}, resourcePath: "${path}", httpMethod: "${method.toUpperCase()}"`;
        return user(
          [
            `Change the integration of ${method.toUpperCase()} ${path} in API ${api}: ${change}.`,
            'Work in these steps, with the apigw-integration tools:',
            `1. Look: get_integration { ${target} } and read the current settings; list_integrations if the path or method is unclear.`,
            '2. Preview: make the change with update_integration (or the specific tool: set_timeout, set_tls_verification, update_integration_response) and dryRun: true. Show me the diff and the risk level.',
            '3. Confirm: if the risk is confirm, the server asks a human (in this client, or via an approval page link you must give me). Do not try to get around it.',
            '4. Apply: repeat the call without dryRun. Report the changeId.',
            '5. Deploy: ask me which stage, then deploy_api to it (it needs my confirmation too). Until then callers do not see the change.',
            `6. Verify: get_integration { ${target} } again and compare with what was intended. If something is wrong, undo_change with the changeId.`,
          ].join('\n'),
        );
      },
    );

  if (audit)
  server.registerPrompt(
    'audit-api-integrations',
    {
      title: 'Audit the integrations of an API',
      description: 'Review every integration of an API for risky settings and propose fixes, without applying any.',
      argsSchema: z.object({ api: z.string().describe('API name or id') }),
    },
    ({ api }) =>
      user(
        [
          `Review every integration of API ${api} for risky settings. Do not change anything.`,
          `1. Call audit_integrations { ${apiArg(api)} }: it checks TLS verification off, private backends reached without a VPC link, timeouts at the maximum, passthrough WHEN_NO_MATCH with templates present, and missing integration responses.`,
          '2. For anything it cannot judge (e.g. whether a backend is private), use list_integrations and get_integration.',
          '3. Report the findings by severity: what, where (method and path), why it matters.',
          "4. For each, propose the fix as the exact tool call from the finding's fix, with dryRun: true, and show its preview. Where ready is false, do not run it: say what needs asks for (what, from whom, where). Apply nothing: I decide afterwards.",
        ].join('\n'),
      ),
  );
}
