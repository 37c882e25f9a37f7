// The shapes of the Environments API, one definition each: tool input and
// output schemas, the client's types and the emulator's validation use these.
import { z } from 'zod';
import { advertisedAs } from './advertised.js';
import { EnvironmentId, Metadata, metadataPatch, PageCursor, Timestamp, pageOf } from './common.js';

// Nullable wherever SDK 1.16's request types accept null ("Fields default to
// null; on update, omitted fields preserve the existing value"); a null is
// sent as given, as the SDK sends it.
const Hosts = z.array(z.string()).nullable();
const PackageList = z.array(z.string()).nullable().describe('Package names (null: none)');

export const Networking = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('unrestricted') }),
    z.strictObject({
      type: z.literal('limited'),
      allowed_hosts: Hosts.optional().describe('Domains the container can reach'),
      allow_mcp_servers: z
        .boolean()
        .nullable()
        .optional()
        .describe("Also reach the agent's MCP servers (default false)"),
      allow_package_managers: z
        .boolean()
        .nullable()
        .optional()
        .describe(
          'Also reach public package registries (default false); must be true when packages are given',
        ),
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
  '(pin versions as the manager does: pandas==2.2.0)}. Limited networking with packages needs allow_package_managers: true. ' +
  'On update omitted fields keep their value. type cannot change later. Any field may be null, as the SDK allows.';

export const EnvironmentConfig = advertisedAs(
  z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('cloud'),
        networking: Networking.nullable().optional(),
        packages: Packages.nullable().optional(),
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

// SDK 1.16: "API organizations support only 'organization'; 'account' is rejected."
const SCOPE_HELP =
  'Visibility: organization (all accounts) or account (the owning account; API organizations reject it)';
export const Scope = z.enum(['organization', 'account']);

const NULL_AS_GIVEN =
  'null is sent as null (SDK 1.16 allows it) and the API decides; omit the field to keep the value';

export const CreateEnvironmentParams = z.strictObject({
  name: z.string().describe('Human-readable name'),
  description: z
    .string()
    .nullable()
    .optional()
    .describe('What the environment is for (null: none)'),
  config: EnvironmentConfig.nullable()
    .optional()
    .describe('Environment configuration (omitted or null: cloud, unrestricted)'),
  metadata: Metadata.optional(),
  scope: Scope.nullable()
    .optional()
    .describe(`${SCOPE_HELP}; omitted or null: the organization's default`),
});

export const UpdateEnvironmentParams = z.strictObject({
  environment_id: EnvironmentId,
  name: z.string().nullable().optional().describe(`New name; ${NULL_AS_GIVEN}`),
  description: z
    .string()
    .nullable()
    .optional()
    .describe(
      'New description: null clears it, "" stores an empty string; omit the field to keep it',
    ),
  config: EnvironmentConfig.nullable()
    .optional()
    .describe(`New configuration, merged into the stored one; ${NULL_AS_GIVEN}`),
  metadata: metadataPatch(
    'Keys to set; null or "" deletes a key, omitted keys are kept',
  ).optional(),
  scope: Scope.nullable().optional().describe(`${SCOPE_HELP}; ${NULL_AS_GIVEN}`),
});

export const ListEnvironmentsParams = z.strictObject({
  include_archived: z.boolean().optional().describe('Include archived environments'),
  limit: z.int().optional().describe('Page size'),
  page: PageCursor.nullable()
    .optional()
    .describe('next_page of the previous response (null: the first page)'),
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
