// Fast checks of src/server and src/calls from source, through the SDK's
// in-memory transport against the emulator (./support/in-process.ts). The
// same behaviours are proven end to end over stdio in e2e.test.ts and others.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcess, type InProcess } from './support/in-process.js';

const SNAPSHOT = JSON.parse(
  readFileSync(new URL('./__snapshots__/tools-list.json', import.meta.url), 'utf8'),
);
const open: InProcess[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function start(opts: Parameters<typeof inProcess>[0] = {}): Promise<InProcess> {
  const s = await inProcess(opts);
  open.push(s);
  return s;
}

type Result = {
  isError?: boolean;
  structuredContent?: any;
  content: { type: string; text?: string }[];
};
const call = async (s: InProcess, name: string, args: Record<string, unknown>) =>
  (await s.client.callTool({ name, arguments: args })) as Result;
const errorOf = (r: Result) => JSON.parse(r.content[0]!.text!).error;

describe('server factory, in process', () => {
  it('lists exactly the committed tools/list snapshot', async () => {
    const s = await start();
    expect((await s.client.listTools()).tools).toEqual(SNAPSHOT);
  });

  it('with --toolsets worker: three tools, and instructions that name only them', async () => {
    const s = await start({ argv: ['--toolsets', 'worker'] });
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(['poll_work_item', 'ack_work_item', 'heartbeat_work_item']);
    const mentioned = new Set(s.client.getInstructions()?.match(/\b[a-z]+(?:_[a-z]+)+\b/g));
    expect(
      [...mentioned].filter((w) => /_(environments?|work_items?|work_queue\w*)$/.test(w)).sort(),
    ).toEqual([...names].sort());
  });

  it('runs a call through the pipeline: create, then get, with the API JSON as the result', async () => {
    const s = await start();
    const created = await call(s, 'create_environment', {
      name: 'in-process',
      config: { type: 'self_hosted' },
    });
    expect(created.isError).toBeUndefined();
    expect(created.structuredContent).toMatchObject({ type: 'environment', name: 'in-process' });
    const got = await call(s, 'get_environment', { environment_id: created.structuredContent.id });
    expect(got.structuredContent).toEqual(created.structuredContent);
  });

  it('names the field and rule of a bad argument, and the API error of a good one', async () => {
    const s = await start();
    const bad = errorOf(await call(s, 'get_environment', { environment_id: '../x' }));
    expect(bad).toMatchObject({ type: 'invalid_arguments', tool: 'get_environment' });
    expect(bad.message).toMatch(/environment_id: must be an id like env_/);
    const missing = await call(s, 'get_environment', { environment_id: 'env_nothere' });
    expect(missing.isError).toBe(true);
    expect(errorOf(missing)).toMatchObject({
      status: 404,
      type: 'not_found_error',
      hint: expect.stringContaining('list_environments'),
    });
  });

  it('a dry run describes the request and sends nothing', async () => {
    const s = await start();
    const dry = await call(s, 'create_environment', { name: 'dry', dry_run: true });
    expect(dry.structuredContent).toMatchObject({
      dry_run: true,
      request: { method: 'POST', body: { name: 'dry' } },
    });
    expect(JSON.stringify(dry)).not.toContain('x-api-key');
    const list = await call(s, 'list_environments', {});
    expect(list.structuredContent.data).toEqual([]);
  });

  it('asks a person before a delete, and a no leaves the environment in place', async () => {
    const questions: string[] = [];
    const s = await start({
      capabilities: { elicitation: { form: {} } },
      elicit: (message) => {
        questions.push(message);
        return { action: 'decline' };
      },
    });
    const env = (
      await call(s, 'create_environment', { name: 'keep-me', config: { type: 'self_hosted' } })
    ).structuredContent;
    const r = await call(s, 'delete_environment', { environment_id: env.id });
    expect(r.structuredContent).toMatchObject({ done: false, reason: 'declined' });
    expect(questions[0]).toContain('"keep-me"');
    expect(
      (await call(s, 'get_environment', { environment_id: env.id })).structuredContent.id,
    ).toBe(env.id);
  });

  it('diagnose_work_queue reads the whole list through its context and suggests calls', async () => {
    const s = await start();
    const env = (
      await call(s, 'create_environment', { name: 'queue', config: { type: 'self_hosted' } })
    ).structuredContent;
    for (let i = 0; i < 3; i++) s.emulator.enqueue(env.id);
    const r = await call(s, 'diagnose_work_queue', { environment_id: env.id });
    expect(r.isError).toBeUndefined();
    expect(r.structuredContent.items_examined).toBe(3);
    const backlog = r.structuredContent.findings.find(
      (f: { code: string }) => f.code === 'queue_backlog',
    );
    expect(backlog).toMatchObject({ count: 3, next_call: { tool: 'stop_work_item' } });
  });

  it('a missing credential is a tool error naming the variable, before any request', async () => {
    const s = await start({ env: { ANTHROPIC_ENVIRONMENT_KEY: '' } });
    const env = (
      await call(s, 'create_environment', { name: 'nokey', config: { type: 'self_hosted' } })
    ).structuredContent;
    const r = await call(s, 'list_work_items', { environment_id: env.id });
    expect(errorOf(r)).toMatchObject({
      type: 'missing_credential',
      variables: ['ANTHROPIC_ENVIRONMENT_KEY'],
    });
  });
});
