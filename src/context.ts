// What every tool handler gets: the backend, the name/path resolver (its cache lives as long as the process),
// and the limits from the configuration.
import type { Backend } from './aws/backend.js';
import type { Config } from './config.js';
import { TargetResolver } from './intent/target.js';
import type { WriteContext } from './intent/write.js';

export interface ServerContext extends WriteContext {
  config: Config;
}

export function createContext(config: Config, backend: Backend): ServerContext {
  return { config, backend, resolver: new TargetResolver(), env: { maxTimeoutMs: config.maxTimeoutMs } };
}
