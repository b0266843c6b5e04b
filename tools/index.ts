// The tool catalog: one module per tool, listed here and nowhere else.
import audit_integrations from './audit_integrations.js';
import deploy_api from './deploy_api.js';
import enable_cors from './enable_cors.js';
import diff_stage from './diff_stage.js';
import get_integration from './get_integration.js';
import list_apis from './list_apis.js';
import list_changes from './list_changes.js';
import list_integrations from './list_integrations.js';
import list_stages from './list_stages.js';
import patch_integration from './patch_integration.js';
import set_timeout from './set_timeout.js';
import set_tls_verification from './set_tls_verification.js';
import type { ToolModule } from './tool.js';
import undo_change from './undo_change.js';
import update_integration from './update_integration.js';
import update_integration_response from './update_integration_response.js';
import update_integrations from './update_integrations.js';
import update_method from './update_method.js';
import update_stage_cache from './update_stage_cache.js';

export const TOOLS: readonly ToolModule<any, any>[] = [
  list_apis,
  list_integrations,
  get_integration,
  audit_integrations,
  update_integration,
  set_timeout,
  set_tls_verification,
  update_integration_response,
  update_method,
  update_integrations,
  enable_cors,
  update_stage_cache,
  patch_integration,
  list_changes,
  undo_change,
  list_stages,
  diff_stage,
  deploy_api,
];
