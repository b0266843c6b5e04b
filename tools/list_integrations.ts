import { z } from 'zod';
import { methodsOf } from '../src/intent/inventory.js';
import { TargetSchema } from '../src/intent/target.js';
import type { Doc } from '../src/patch/values.js';
import { defineTool, READ } from './tool.js';

// The summary's fields are listed in the description; the schema stays loose to keep the catalog small.
const Summary = z.object({
  path: z.string(),
  resourceId: z.string(),
  httpMethod: z.string(),
  integration: z.record(z.string(), z.unknown()).optional(),
});

function summarize(i: Doc | undefined): Doc | undefined {
  if (!i) return undefined;
  const keys = (m: Doc | undefined) => (m && Object.keys(m).length ? Object.keys(m).sort() : undefined);
  return {
    type: i.type,
    ...(i.httpMethod ? { httpMethod: i.httpMethod } : {}),
    ...(i.uri ? { uri: i.uri } : {}),
    ...(i.timeoutInMillis !== undefined ? { timeoutInMillis: i.timeoutInMillis } : {}),
    ...(i.connectionType ? { connectionType: i.connectionType } : {}),
    ...(i.tlsConfig?.insecureSkipVerification !== undefined ? { insecureSkipVerification: i.tlsConfig.insecureSkipVerification } : {}),
    ...(keys(i.requestTemplates) ? { requestTemplates: keys(i.requestTemplates) } : {}),
    ...(keys(i.integrationResponses) ? { integrationResponses: keys(i.integrationResponses) } : {}),
  };
}

export default defineTool({
  name: 'list_integrations',
  description: "Every path and method of an API with its integration in brief.",
  input: TargetSchema.pick({ restApiId: true, apiName: true }),
  output: z.object({ backend: z.string(), restApiId: z.string(), apiName: z.string().optional(), methods: z.array(Summary) }),
  listed: [],
  annotations: READ,
  async run(args, ctx) {
    const { api, methods } = await methodsOf(ctx, args);
    return {
      backend: ctx.backend.label,
      restApiId: api.id,
      ...(api.name ? { apiName: api.name } : {}),
      methods: methods.map(({ path, resourceId, httpMethod, method }) => {
        const integration = summarize(method.methodIntegration);
        return { path, resourceId, httpMethod, ...(integration ? { integration } : {}) };
      }),
    };
  },
});
