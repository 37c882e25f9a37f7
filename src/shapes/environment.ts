// The shapes of the Environments API, one definition each: tool input and
// output schemas, the client's types and the emulator's validation use these.
import { z } from 'zod';
import { advertisedAs } from './advertised.js';
import { EnvironmentId, Metadata, MetadataPatch, PageCursor, Timestamp, pageOf } from './common.js';

const Hosts = z.array(z.string().min(1).max(253)).max(256);
const PackageList = z.array(z.string().min(1).max(256)).max(256).describe('Package names');

export const Networking = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('unrestricted') }),
    z.strictObject({
      type: z.literal('limited'),
      allowed_hosts: Hosts.optional().describe('Domains the container can reach'),
      allow_mcp_servers: z.boolean().optional().describe("Also reach the agent's MCP servers"),
      allow_package_managers: z
        .boolean()
        .optional()
        .describe('Also reach public package registries'),
    }),
  ])
  .describe('unrestricted, or limited to allowed_hosts');

export const Packages = z
  .strictObject({
    type: z.literal('packages').optional(),
    apt: PackageList.optional(),
    cargo: PackageList.optional(),
    gem: PackageList.optional(),
    go: PackageList.optional(),
    npm: PackageList.optional(),
    pip: PackageList.optional(),
  })
  .describe('To install, by manager; pin versions as the manager does (pandas==2.2.0)');

const CONFIG_SUMMARY =
  '{type:"self_hosted"} or {type:"cloud", networking?: {type:"unrestricted"} | {type:"limited", allowed_hosts?: string[], ' +
  'allow_mcp_servers?: boolean, allow_package_managers?: boolean}, packages?: {apt?, cargo?, gem?, go?, npm?, pip?: string[]} ' +
  '(pin versions as the manager does: pandas==2.2.0)}. type cannot change later.';

export const EnvironmentConfig = advertisedAs(
  z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('cloud'),
        networking: Networking.optional(),
        packages: Packages.optional(),
      }),
      z.strictObject({ type: z.literal('self_hosted') }),
    ])
    .describe(CONFIG_SUMMARY),
  {
    type: 'object',
    properties: { type: { type: 'string', enum: ['cloud', 'self_hosted'] } },
    required: ['type'],
    description: CONFIG_SUMMARY,
  },
);

export const Scope = z
  .enum(['organization', 'account'])
  .describe('Visibility; account is for self_hosted only');

const Name = z.string().min(1).max(256).describe('Human-readable name');
const Description = z.string().max(2048).describe('What the environment is for');

export const CreateEnvironmentParams = z.strictObject({
  name: Name,
  description: Description.optional(),
  config: EnvironmentConfig.optional(),
  metadata: Metadata.optional(),
  scope: Scope.optional(),
});

export const UpdateEnvironmentParams = z.strictObject({
  environment_id: EnvironmentId,
  name: Name.optional(),
  description: Description.optional(),
  config: EnvironmentConfig.optional(),
  metadata: MetadataPatch.optional().describe(
    'Keys to set; null or "" deletes a key, omitted keys are kept',
  ),
  scope: Scope.optional(),
});

export const ListEnvironmentsParams = z.strictObject({
  include_archived: z.boolean().optional().describe('Include archived environments'),
  limit: z.int().min(1).max(1000).optional().describe('Page size'),
  page: PageCursor.optional(),
});

export const EnvironmentRef = z.strictObject({ environment_id: EnvironmentId });

export const Environment = z.looseObject({
  id: z.string(),
  type: z.literal('environment'),
  name: z.string(),
  description: z.string().nullish(),
  config: z.looseObject({ type: z.string() }),
  metadata: z.record(z.string(), z.string()),
  scope: z.string().nullish(),
  created_at: Timestamp,
  updated_at: Timestamp,
  archived_at: Timestamp.nullable(),
});

export const EnvironmentList = pageOf(Environment);

export const EnvironmentDeleted = z.looseObject({
  id: z.string(),
  type: z.literal('environment_deleted'),
});

export type Environment = z.infer<typeof Environment>;
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;
