// The tool catalog: one module per tool, listed here and nowhere else.
import get_integration from './get_integration.js';
import list_apis from './list_apis.js';
import patch_integration from './patch_integration.js';
import set_timeout from './set_timeout.js';
import type { ToolModule } from './tool.js';

export const TOOLS: readonly ToolModule<any, any>[] = [list_apis, get_integration, set_timeout, patch_integration];
