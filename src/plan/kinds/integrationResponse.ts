// One integration response (by status code): how a backend answer maps onto the method response of that code.
import { checkIntegrationResponseDocument, storedIntegrationResponse } from '../../patch/documents.js';
import type { Doc } from '../../patch/values.js';
import { atStatus, withEntry, type Kind } from './kind.js';
import { methodFields } from './method.js';


export const INTEGRATION_RESPONSE: Kind = {
  resource: 'integrationResponse',
  read: (m, a) => m?.methodIntegration?.integrationResponses?.[a.statusCode!],
  write: (m, a, doc) => (m?.methodIntegration ? { ...m, methodIntegration: withEntry(m.methodIntegration, 'integrationResponses', a.statusCode!, doc) } : m),
  stored: (d, a) => storedIntegrationResponse(a.statusCode!, d),
  document: ({ statusCode: _, ...d }: Doc) => d,
  checkPut: (d, env) => checkIntegrationResponseDocument(d, env),
  env: (m, a) => (m ? { integration: m.methodIntegration, method: methodFields(m), methodResponse: m.methodResponses?.[a.statusCode!] } : {}),
  async send(g, s) {
    if (s.action === 'put') return g.putIntegrationResponse(atStatus(s.address), s.document!);
    if (s.action === 'update') return g.updateIntegrationResponse(atStatus(s.address), s.ops!);
    await g.deleteIntegrationResponse(atStatus(s.address));
    return undefined;
  },
};
