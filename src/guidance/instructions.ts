// The server instructions a client receives at initialize: what the server is for and the safe way to work.
// Short on purpose: a model reads them on every conversation. The same text whatever the configuration, so the
// CLI can answer initialize before it loads anything (src/earlyStdio.ts); results say what applies.
export const INSTRUCTIONS = [
  'Reads and changes the integrations of AWS API Gateway REST APIs (every result names the backend and account it touched).',
  "Safe way to work: 1) look: list_apis, list_integrations, get_integration, list_stages; 2) change: call the write tool. Risk levels: safe (timing, caching, templates) and review (what reaches the backend or callers) apply at once by default; confirm needs a person's OK: the call previews and asks by itself, no dry run needed. dryRun: true only shows the diff first (for a review change, or when asked); 3) deploy: callers see changes only after deploy_api to a stage; 4) verify with get_integration.",
  "Confirm-level (TLS verification off, a new uri, credentials, verb, VPC link, deploy_api): asked in this client's own prompt if it supports elicitation; otherwise a result says how: approval_required (give the approvalUrl to the human; once approved, call the same tool again with confirmation: approvalId), confirmation_required (show the change; only if they agree, call again with confirmation: confirmToken), or a refusal.",
  'A failed call has a code in structuredContent and its text: invalid_argument, not_found, needs_human, scope_denied, conflict, throttled, aws_error, state_file, internal.',
  'Every applied change has a changeId: list_changes shows them, undo_change reverts one. Targets: restApiId (the API\'s id or exact name), resourcePath (/orders/{id}) and httpMethod. Without write tools, the server is read-only.',
].join('\n');

/** What the server declares; listChanged is what McpServer adds for registered tools, prompts and resources. */
export const CAPABILITIES = { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } };
