// The resource kinds a plan can change, by name.
import type { Resource } from '../../patch/rules.js';
import { INTEGRATION } from './integration.js';
import { INTEGRATION_RESPONSE } from './integrationResponse.js';
import type { Kind } from './kind.js';
import { METHOD } from './method.js';
import { METHOD_RESPONSE } from './methodResponse.js';
import { STAGE } from './stage.js';

export const KINDS: Partial<Record<Resource, Kind>> = {
  method: METHOD,
  methodResponse: METHOD_RESPONSE,
  integration: INTEGRATION,
  integrationResponse: INTEGRATION_RESPONSE,
  stage: STAGE,
};

export function kindOf(resource: Resource): Kind {
  const k = KINDS[resource];
  if (!k) throw new Error(`no plan support for ${resource}`);
  return k;
}
