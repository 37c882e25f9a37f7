// The environments of the emulated organization, each self-hosted one with
// its work queue.
import type { z } from 'zod';
import type {
  CreateEnvironmentParams,
  EnvironmentConfig,
  UpdateEnvironmentParams,
} from '../shapes/environment.js';
import type { Clock } from './clock.js';
import { badRequest, notFound } from './errors.js';
import { newId } from './ids.js';
import { mergeMetadata } from './metadata.js';
import { pageOf, type Page } from './pages.js';
import { WorkQueue, type QueueContext } from './queue.js';

type Config = z.infer<typeof EnvironmentConfig>;
type CloudConfig = Extract<Config, { type: 'cloud' }>;
type Networking = NonNullable<CloudConfig['networking']>;
type Packages = NonNullable<CloudConfig['packages']>;

export interface EnvironmentRecord {
  id: string;
  name: string;
  description: string | null;
  config: Record<string, unknown> & { type: string };
  metadata: Record<string, string>;
  scope: string;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  seq: number;
  queue?: WorkQueue;
}

const PACKAGE_MANAGERS = ['apt', 'cargo', 'gem', 'go', 'npm', 'pip'] as const;

/** A cloud config as the API returns it: every field present, defaults filled in. */
function fullNetworking(n: Networking | undefined): Record<string, unknown> {
  if (!n || n.type === 'unrestricted') return { type: 'unrestricted' };
  return { allowed_hosts: [], allow_mcp_servers: false, allow_package_managers: false, ...n };
}

function fullPackages(
  p: Packages | undefined,
  base?: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'packages' };
  for (const m of PACKAGE_MANAGERS) out[m] = p?.[m] ?? base?.[m] ?? [];
  return out;
}

/** Defaults when `config` is omitted: a cloud environment with unrestricted networking and no packages. */
function fullConfig(c: Config | undefined): EnvironmentRecord['config'] {
  if (c?.type === 'self_hosted') return { type: 'self_hosted' };
  return {
    type: 'cloud',
    networking: fullNetworking(c?.networking),
    packages: fullPackages(c?.packages),
  };
}

/**
 * An update's config merged into the stored one: omitted fields keep their
 * value at every level; a networking policy of another type replaces the old
 * one; each package list given replaces that manager's list.
 */
function mergeConfig(
  current: EnvironmentRecord['config'],
  patch: Config,
): EnvironmentRecord['config'] {
  if (patch.type !== current.type) {
    throw badRequest(
      `config.type: an environment's type cannot change after creation (it is ${current.type}, the update says ${patch.type})`,
      'invalid_config_type_change',
    );
  }
  if (patch.type === 'self_hosted') return current;
  const networking = current.networking as Record<string, unknown>;
  let nextNetworking = networking;
  if (patch.networking) {
    nextNetworking =
      patch.networking.type === networking.type
        ? { ...networking, ...patch.networking }
        : fullNetworking(patch.networking);
  }
  const packages = patch.packages
    ? fullPackages(patch.packages, current.packages as Record<string, unknown>)
    : current.packages;
  return { type: 'cloud', networking: nextNetworking, packages };
}

/**
 * The emulated organization is an API organization (it is reached with API
 * keys), and the official SDK documents that those support only
 * "organization": "account" is rejected.
 */
function checkScope(scope: string): void {
  if (scope === 'account') {
    throw badRequest('scope: "account" is not available to API organizations; use "organization"');
  }
}

export function environmentJson(e: EnvironmentRecord): Record<string, unknown> {
  return {
    id: e.id,
    type: 'environment',
    name: e.name,
    description: e.description,
    config: structuredClone(e.config),
    metadata: { ...e.metadata },
    scope: e.scope,
    created_at: e.created_at,
    updated_at: e.updated_at,
    archived_at: e.archived_at,
  };
}

export class Environments {
  private readonly byId = new Map<string, EnvironmentRecord>();
  /** Ascending by creation, for pagination. */
  private readonly ordered: EnvironmentRecord[] = [];
  private seq = 0;

  constructor(private readonly ctx: QueueContext & { clock: Clock }) {}

  create(p: z.infer<typeof CreateEnvironmentParams>): EnvironmentRecord {
    const config = fullConfig(p.config);
    const scope = p.scope ?? 'organization';
    checkScope(scope);
    const at = this.ctx.stamp();
    const e: EnvironmentRecord = {
      id: newId('env'),
      name: p.name,
      description: p.description ?? null,
      config,
      metadata: mergeMetadata({}, p.metadata ?? {}, () => false),
      scope,
      created_at: at,
      updated_at: at,
      archived_at: null,
      seq: ++this.seq,
    };
    if (config.type === 'self_hosted') e.queue = new WorkQueue(e.id, this.ctx);
    this.byId.set(e.id, e);
    this.ordered.push(e);
    return e;
  }

  get(id: string): EnvironmentRecord {
    const e = this.byId.get(id);
    if (!e) throw notFound('environment', id);
    return e;
  }

  update(p: z.infer<typeof UpdateEnvironmentParams>): EnvironmentRecord {
    const e = this.get(p.environment_id);
    if (e.archived_at) {
      throw badRequest(
        `environment ${e.id} is archived and cannot be updated`,
        'environment_archived',
      );
    }
    const config = p.config ? mergeConfig(e.config, p.config) : e.config;
    const scope = p.scope ?? e.scope;
    checkScope(scope);
    // For environments an empty string deletes a key too.
    const metadata = p.metadata
      ? mergeMetadata(e.metadata, p.metadata, (v) => v === null || v === '')
      : e.metadata;
    // All checks passed: apply the whole update or nothing.
    if (p.name !== undefined) e.name = p.name;
    if (p.description !== undefined) e.description = p.description;
    e.config = config;
    e.scope = scope;
    e.metadata = metadata;
    e.updated_at = this.ctx.stamp();
    return e;
  }

  /** Idempotent: archiving an archived environment returns it unchanged. */
  archive(id: string): EnvironmentRecord {
    const e = this.get(id);
    if (!e.archived_at) {
      e.archived_at = this.ctx.stamp();
      e.updated_at = e.archived_at;
    }
    return e;
  }

  delete(id: string): { id: string; type: 'environment_deleted' } {
    const e = this.get(id);
    this.byId.delete(id);
    this.ordered.splice(this.ordered.indexOf(e), 1);
    e.queue?.closeWaiters();
    return { id, type: 'environment_deleted' };
  }

  list(opts: {
    include_archived?: boolean;
    limit?: number;
    page?: string;
  }): Page<EnvironmentRecord> {
    return pageOf(this.ordered, 'environments', {
      limit: opts.limit,
      page: opts.page,
      keep: opts.include_archived ? undefined : (e) => e.archived_at === null,
    });
  }

  /** The work queue of a self-hosted environment. */
  queue(id: string): WorkQueue {
    const e = this.get(id);
    if (!e.queue) {
      throw badRequest(
        `environment ${id} is a ${e.config.type} environment; work queues belong to self_hosted environments`,
      );
    }
    return e.queue;
  }

  /** New work: only for a live (not archived) self-hosted environment. */
  enqueue(id: string, input: { session_id?: string; metadata?: Record<string, string> }) {
    const queue = this.queue(id);
    if (this.get(id).archived_at) {
      throw badRequest(
        `environment ${id} is archived: it takes no new sessions`,
        'environment_archived',
      );
    }
    return queue.enqueue(input);
  }

  closeAll(): void {
    for (const e of this.byId.values()) e.queue?.closeWaiters();
  }
}
