// What the tools need from the API Gateway they talk to (the backend), and which account a call chooses. The
// backend is made above this layer (src/backend.ts): starting one needs the configuration and, for the local
// backend, the emulator.
import type { Gateway } from './gateway.js';

export interface Backend {
  /** Named in every tool result, so the agent and the human know what was touched. */
  readonly label: string;
  /** The region, where known at start (recorded in the audit log). */
  readonly region?: string;
  /** The profile, when one was named. */
  readonly profile?: string;
  gateway(): Promise<Gateway>;
  /** The AWS account, from STS GetCallerIdentity once; undefined if it cannot be told (and never an error). */
  account(): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface AccountChoice {
  profile?: string;
  region?: string;
}
