// The server's settings, from the command line (src/cli.ts) and the environment.
import { z } from 'zod';
import { STREAM_MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from './patch/values.js';
import { ConfirmFallback, ConfirmPolicy } from './safety/policy.js';
import { DEFAULT_RATE_LIMITS, RateLimitSchema } from './aws/pacing.js';

export const HttpSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  authToken: z.string().min(16, 'a bearer token must be at least 16 characters').optional(),
  allowedHosts: z.array(z.string().min(1)),
  allowedOrigins: z.array(z.string().min(1)),
  maxBodyBytes: z.number().int().min(1024).max(64 * 1024 * 1024),
  maxConcurrent: z.number().int().min(1).max(10_000),
});

export const ConfigSchema = z.object({
  /** Streamable HTTP instead of stdio. */
  http: HttpSchema.optional(),
  /** local: the embedded emulator; aws: the AWS SDK's endpoint resolution (AWS, or --endpoint-url). */
  backend: z.enum(['local', 'aws']),
  /** Emulator state file (local backend). */
  statePath: z.string().min(1),
  endpointUrl: z.url({ protocol: /^https?$/ }).optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected a region such as us-east-1').optional(),
  profile: z.string().min(1).optional(),
  /** Highest BUFFERED timeout accepted (29000 unless the account's quota was raised). */
  maxTimeoutMs: z.number().int().min(MIN_TIMEOUT_MS).max(STREAM_MAX_TIMEOUT_MS),
  /** Who must agree to a change (see src/safety/policy.ts). */
  confirm: ConfirmPolicy.default('risky'),
  confirmFallback: ConfirmFallback.default('page'),
  /** false: never elicit, even when the client declares it (--no-elicitation). */
  elicitation: z.boolean().default(true),
  approvalTtlSeconds: z.number().int().min(10).max(86_400).default(600),
  /** One JSON line per applied change. */
  auditLog: z.string().min(1),
  /** The embedded emulator's port (local backend); absent: any free port. */
  emulatorPort: z.number().int().min(0).max(65535).optional(),
  /** The approval page's port on 127.0.0.1; absent: any free port. */
  approvalPort: z.number().int().min(0).max(65535).optional(),
  /** Stack traces of unexpected errors on stderr (--debug, APIGW_MCP_DEBUG=1). */
  debug: z.boolean().default(false),
  /** Write tools are not registered at all. */
  readOnly: z.boolean().default(false),
  /** Toolsets besides the default ones (--toolsets): `raw` (patch_integration), `audit` (audit_integrations, diff_stage). */
  toolsets: z.array(z.enum(['raw', 'audit'])).default([]),
  /** API ids or exact names writes are allowed on; empty = all. */
  allowApis: z.array(z.string().min(1)).default([]),
  /** Profiles and regions a call may choose besides the start-up ones (--allow-profile, --allow-region). */
  allowProfiles: z.array(z.string().regex(/^[\w.+@-]{1,64}$/, 'a profile name is letters, digits and . _ + @ -')).default([]),
  allowRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected a region such as eu-west-1')).default([]),
  /** API Gateway's control-plane quotas every AWS call is paced under (--aws-rate-limit); null: no pacing. */
  awsRateLimit: RateLimitSchema.nullable().default(DEFAULT_RATE_LIMITS),
});
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

