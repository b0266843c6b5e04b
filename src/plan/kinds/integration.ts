// A method's integration (without its integration responses, which are resources of their own). A put replaces
// the whole integration and, in the emulator and as planned for AWS (apigw-spec.md §9.3), drops its responses.
import { checkIntegrationDocument, storedIntegration } from '../../patch/documents.js';
import type { Doc } from '../../patch/values.js';
import { at, type Kind } from './kind.js';
import { methodFields } from './method.js';

const fields = ({ integrationResponses: _, ...rest }: Doc): Doc => rest;

export const INTEGRATION: Kind = {
  resource: 'integration',
  read: (m) => m?.methodIntegration && fields(m.methodIntegration),
  write: (m, _a, doc, action) => {
    if (!m) return m;
    const { methodIntegration, ...rest } = m;
    if (!doc) return rest;
    // An update keeps the integration responses; a put starts without them (the plan re-puts those it keeps).
    const responses = action === 'update' ? methodIntegration?.integrationResponses : undefined;
    return { ...rest, methodIntegration: { ...doc, ...(responses && { integrationResponses: responses }) } };
  },
  stored: (d, a) => storedIntegration(d, a.resourceId),
  document: (d) => fields(d),
  checkPut: (d, env) => checkIntegrationDocument(d, env),
  env: (m) => (m ? { method: methodFields(m) } : {}),
  async send(g, s) {
    if (s.action === 'put') return fields(await g.putIntegration(at(s.address), s.document!));
    if (s.action === 'update') return fields(await g.updateIntegration(at(s.address), s.ops!));
    await g.deleteIntegration(at(s.address));
    return undefined;
  },
};
