// The server instructions a client receives at initialize: what the server is for and the safe way to work.
// Short on purpose: a model reads them on every conversation.
import type { Config } from '../config.js';

export function instructions(config: Config, backend: string): string {
  const ask =
    config.confirm === 'never'
      ? 'This server is configured to apply every change without asking (--confirm never).'
      : `Changes that need a human (${config.confirm === 'always' ? 'every write' : 'TLS verification off, a new backend uri, credentials, integration verb, VPC link, deploy_api'}) are confirmed by a person: in the client's own prompt if it supports elicitation; ` +
        (config.confirmFallback === 'page'
          ? 'otherwise the result is approval_required with an approvalUrl: give the link to the human, and after they approve call the same tool again with confirmation: approvalId.'
          : config.confirmFallback === 'token'
            ? 'otherwise the result is confirmation_required: show the change to the human and, only if they agree, call again with confirmation: confirmToken.'
            : 'otherwise they are refused.');
  return [
    `Reads and changes the integrations of AWS API Gateway REST APIs (${backend}).`,
    'Safe way to work: 1) look: list_apis, list_integrations, get_integration, audit_integrations; 2) preview: call the write tool with dryRun: true and show the diff; 3) apply: the same call without dryRun (one UpdateIntegration); 4) deploy: callers see changes only after deploy_api to a stage; 5) verify with get_integration.',
    ask,
    'Every applied change has a changeId: list_changes shows them, undo_change reverts one. Targets: restApiId or exact apiName, resourceId or resourcePath (/orders/{id}), and httpMethod.',
    config.readOnly ? 'This server is read-only: no write tools.' : '',
  ]
    .filter(Boolean)
    .join('\n');
}
