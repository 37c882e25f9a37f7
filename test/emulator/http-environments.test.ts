// The environment routes over real HTTP.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { frozenEmulator, type Api } from './support.js';

let emulator: EmulatorHandle;
let api: Api;

beforeEach(async () => {
  await emulator?.close();
  ({ emulator, api } = await frozenEmulator());
});
afterAll(() => emulator.close());

const create = (body: unknown) => api('POST', '/v1/environments', { body });

describe('create_environment', () => {
  it('defaults to a cloud environment with unrestricted networking and no packages', async () => {
    const res = await create({ name: 'plain' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^env_011C[1-9A-Za-z]{20}$/),
      type: 'environment',
      name: 'plain',
      description: null,
      config: {
        type: 'cloud',
        networking: { type: 'unrestricted' },
        packages: { type: 'packages', apt: [], cargo: [], gem: [], go: [], npm: [], pip: [] },
      },
      metadata: {},
      scope: 'organization',
      created_at: '2026-01-01T00:00:00.000000Z',
      updated_at: '2026-01-01T00:00:00.000000Z',
      archived_at: null,
    });
  });

  it('fills the defaults of a limited network and keeps what was given', async () => {
    const res = await create({
      name: 'limited',
      description: 'data work',
      config: {
        type: 'cloud',
        networking: { type: 'limited', allowed_hosts: ['api.example.com'] },
        packages: { pip: ['pandas'] },
      },
      metadata: { team: 'data' },
    });
    expect(res.json.config).toEqual({
      type: 'cloud',
      networking: {
        type: 'limited',
        allowed_hosts: ['api.example.com'],
        allow_mcp_servers: false,
        allow_package_managers: false,
      },
      packages: { type: 'packages', apt: [], cargo: [], gem: [], go: [], npm: [], pip: ['pandas'] },
    });
    expect(res.json).toMatchObject({ description: 'data work', metadata: { team: 'data' } });
  });

  it('creates a self-hosted environment, scope organization', async () => {
    const res = await create({
      name: 'mine',
      config: { type: 'self_hosted' },
      scope: 'organization',
    });
    expect(res.json).toMatchObject({ config: { type: 'self_hosted' }, scope: 'organization' });
  });

  it('refuses account scope, as the API does for API organizations, on create and update', async () => {
    for (const config of [undefined, { type: 'self_hosted' }]) {
      const res = await create({ name: 'x', config, scope: 'account' });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(
        /^scope: "account" is not available to API organizations/,
      );
    }
    const created = await create({ name: 'x', config: { type: 'self_hosted' } });
    const res = await api('POST', `/v1/environments/${created.json.id}`, {
      body: { scope: 'account' },
    });
    expect(res.status).toBe(400);
  });

  it.each([
    [{}, /name: /],
    [{ name: '' }, /name: /],
    [{ name: 'x', config: { type: 'moon' } }, /config\.type: /],
    [
      { name: 'x', config: { type: 'self_hosted', networking: { type: 'unrestricted' } } },
      /config: .*networking/,
    ],
    [{ name: 'x', colour: 'blue' }, /colour: unknown field/],
    [{ name: 'x', scope: 'world' }, /scope: /],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.json.error.type).toBe('invalid_request_error');
    expect(res.json.error.message).toMatch(message);
  });

  it('names every problem at once', async () => {
    const res = await create({ name: '', colour: 'blue', scope: 'world' });
    expect(res.status).toBe(400);
    const message: string = res.json.error.message;
    expect(message).toContain('colour: unknown field');
    expect(message).toMatch(/name: /);
    expect(message).toMatch(/scope: /);
  });

  it.each([
    [
      'too many keys',
      Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])),
      /at most 16 keys/,
    ],
    ['a key too long', { ['k'.repeat(65)]: 'v' }, /metadata\.k+: /],
    ['a value too long', { k: 'v'.repeat(513) }, /metadata\.k: /],
  ])('refuses metadata with %s: 400 invalid_metadata', async (_what, metadata, message) => {
    const res = await create({ name: 'x', metadata });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual({ error_code: 'invalid_metadata' });
    expect(res.json.error.message).toMatch(message);
  });
});

describe('get_environment', () => {
  it('returns what create returned', async () => {
    const created = await create({ name: 'x' });
    const got = await api('GET', `/v1/environments/${created.json.id}`);
    expect(got.json).toEqual(created.json);
  });

  it('is 404 not_found_error for an unknown id', async () => {
    const res = await api('GET', '/v1/environments/env_unknown');
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({
      type: 'not_found_error',
      message: 'environment env_unknown not found',
    });
  });

  it('is 400 for an id that cannot be one (naming environment_id)', async () => {
    const res = await api('GET', '/v1/environments/env%20x');
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^environment_id: /);
  });
});

describe('update_environment', () => {
  it('changes only the fields given; metadata merges, null and "" delete a key', async () => {
    const created = await create({
      name: 'x',
      description: 'd',
      metadata: { a: '1', b: '2', c: '3' },
    });
    emulator.clock.advance(1000);
    const res = await api('POST', `/v1/environments/${created.json.id}`, {
      body: { name: 'y', metadata: { a: null, b: '', d: '4' } },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      name: 'y',
      description: 'd',
      metadata: { c: '3', d: '4' },
      created_at: created.json.created_at,
    });
    expect(res.json.updated_at).toBe('2026-01-01T00:00:01.000000Z');
    expect(res.json.config).toEqual(created.json.config);
  });

  it('merges config: omitted parts kept, a policy of the same type merged, package lists replaced per manager', async () => {
    const created = await create({
      name: 'x',
      config: {
        type: 'cloud',
        networking: { type: 'limited', allowed_hosts: ['a.example'] },
        packages: { pip: ['numpy'], npm: ['zod'] },
      },
    });
    const id = created.json.id;
    let res = await api('POST', `/v1/environments/${id}`, {
      body: { config: { type: 'cloud', networking: { type: 'limited', allow_mcp_servers: true } } },
    });
    expect(res.json.config.networking).toEqual({
      type: 'limited',
      allowed_hosts: ['a.example'],
      allow_mcp_servers: true,
      allow_package_managers: false,
    });
    res = await api('POST', `/v1/environments/${id}`, {
      body: { config: { type: 'cloud', packages: { pip: ['pandas'] } } },
    });
    expect(res.json.config.packages).toMatchObject({ pip: ['pandas'], npm: ['zod'] });
    expect(res.json.config.networking.type).toBe('limited');
    res = await api('POST', `/v1/environments/${id}`, {
      body: { config: { type: 'cloud', networking: { type: 'unrestricted' } } },
    });
    expect(res.json.config.networking).toEqual({ type: 'unrestricted' });
  });

  it('refuses to change config.type: 400 invalid_config_type_change, nothing changed', async () => {
    const created = await create({ name: 'x' });
    const res = await api('POST', `/v1/environments/${created.json.id}`, {
      body: { name: 'renamed', config: { type: 'self_hosted' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual({ error_code: 'invalid_config_type_change' });
    expect(res.json.error.message).toMatch(/^config\.type: /);
    expect((await api('GET', `/v1/environments/${created.json.id}`)).json.name).toBe('x');
  });

  it('refuses a merge that leaves more than 16 metadata keys', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v']));
    const created = await create({ name: 'x', metadata });
    const res = await api('POST', `/v1/environments/${created.json.id}`, {
      body: { metadata: { k0: null, new1: 'v', new2: 'v' } },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual({ error_code: 'invalid_metadata' });
  });

  it('refuses an environment_id in the body (it belongs in the path)', async () => {
    const created = await create({ name: 'x' });
    const res = await api('POST', `/v1/environments/${created.json.id}`, {
      body: { environment_id: 'env_other' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^environment_id: unknown field/);
  });

  it('refuses to update an archived environment: 400 environment_archived', async () => {
    const created = await create({ name: 'x' });
    await api('POST', `/v1/environments/${created.json.id}/archive`);
    const res = await api('POST', `/v1/environments/${created.json.id}`, { body: { name: 'y' } });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual({ error_code: 'environment_archived' });
  });

  it('is 404 for an unknown environment', async () => {
    expect((await api('POST', '/v1/environments/env_nope', { body: { name: 'y' } })).status).toBe(
      404,
    );
  });
});

describe('archive_environment', () => {
  it('sets archived_at once; archiving again changes nothing', async () => {
    const created = await create({ name: 'x' });
    emulator.clock.advance(5000);
    const first = await api('POST', `/v1/environments/${created.json.id}/archive`);
    expect(first.json.archived_at).toBe('2026-01-01T00:00:05.000000Z');
    emulator.clock.advance(5000);
    const second = await api('POST', `/v1/environments/${created.json.id}/archive`);
    expect(second.json).toEqual(first.json);
  });

  it('an archived environment leaves the default list and shows with include_archived', async () => {
    const kept = await create({ name: 'kept' });
    const archived = await create({ name: 'archived' });
    await api('POST', `/v1/environments/${archived.json.id}/archive`);
    const ids = async (q: string) =>
      (await api('GET', `/v1/environments${q}`)).json.data.map((e: { id: string }) => e.id);
    expect(await ids('')).toEqual([kept.json.id]);
    expect(await ids('?include_archived=false')).toEqual([kept.json.id]);
    expect(await ids('?include_archived=true')).toEqual([archived.json.id, kept.json.id]);
  });
});

describe('delete_environment', () => {
  it('answers environment_deleted, then 404 everywhere', async () => {
    const created = await create({ name: 'x' });
    const id = created.json.id;
    const res = await api('DELETE', `/v1/environments/${id}`);
    expect(res.json).toEqual({ id, type: 'environment_deleted' });
    expect((await api('GET', `/v1/environments/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/v1/environments/${id}`)).status).toBe(404);
    expect((await api('GET', '/v1/environments?include_archived=true')).json.data).toEqual([]);
  });
});

describe('list_environments', () => {
  it('pages newest first, 20 by default, with an opaque cursor to the end', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await create({ name: `e${i}` })).json.id);
    const first = await api('GET', '/v1/environments');
    expect(first.json.data).toHaveLength(20);
    expect(first.json.data[0].id).toBe(ids[24]);
    const second = await api(
      'GET',
      `/v1/environments?page=${encodeURIComponent(first.json.next_page)}`,
    );
    expect(second.json.data.map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 5).reverse());
    expect(second.json.next_page).toBeNull();
  });

  it('keeps pages stable while environments are created and deleted', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await create({ name: `e${i}` })).json.id);
    const first = await api('GET', '/v1/environments?limit=2');
    await create({ name: 'newer' });
    await api('DELETE', `/v1/environments/${ids[3]}`);
    const second = await api(
      'GET',
      `/v1/environments?limit=2&page=${encodeURIComponent(first.json.next_page)}`,
    );
    expect(second.json.data.map((e: { id: string }) => e.id)).toEqual([ids[2], ids[1]]);
  });

  it.each([
    ['limit=0', /^limit: /],
    ['limit=1001', /^limit: /],
    ['limit=ten', /^limit: must be an integer/],
    ['include_archived=yes', /^include_archived: must be true or false/],
    ['page=not-a-cursor', /^page: /],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    const res = await api('GET', `/v1/environments?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(message);
  });

  it('accepts the limits 1 and 1000', async () => {
    await create({ name: 'x' });
    expect((await api('GET', '/v1/environments?limit=1')).json.data).toHaveLength(1);
    expect((await api('GET', '/v1/environments?limit=1000')).status).toBe(200);
  });

  it('ignores query parameters it does not know', async () => {
    expect((await api('GET', '/v1/environments?beta=true')).status).toBe(200);
  });
});
