// Prompts: short walk-throughs of the right tool calls for two common jobs.
// A prompt is offered only when the tools it walks through are registered.
import { ProtocolError, ProtocolErrorCode, type Server } from '@modelcontextprotocol/server';
import type { Inventory } from '../inventory/inventory.js';
import { EnvironmentId } from '../shapes/common.js';

interface PromptArgument {
  name: string;
  description: string;
  required: boolean;
  check?: (value: string) => string | undefined;
}

interface PromptDefinition {
  name: string;
  title: string;
  description: string;
  /** Tools the walk-through calls; without them the prompt is not offered. */
  needs: readonly string[];
  arguments: (scope: string | undefined) => PromptArgument[];
  text: (args: Record<string, string>, scope: string | undefined) => string;
}

const environmentArg: PromptArgument = {
  name: 'environment_id',
  description: 'The self-hosted environment, e.g. env_011CZkZ9X2dpNyB7HsEFoRfW',
  required: true,
  check: (v) =>
    EnvironmentId.safeParse(v).success
      ? undefined
      : 'must be an environment id like env_011CZkZ9X2dpNyB7HsEFoRfW',
};

/** `{"environment_id":"env_…"}`, or `{}` on a scoped server where it is filled in. */
const envArgs = (id: string | undefined, scope: string | undefined) =>
  scope ? '{}' : JSON.stringify({ environment_id: id });

export const PROMPTS: readonly PromptDefinition[] = [
  {
    name: 'diagnose-work-queue',
    title: 'Diagnose a work queue',
    description:
      'Find out why work in a self-hosted environment is not being picked up or finished.',
    needs: ['diagnose_work_queue'],
    arguments: (scope) => (scope ? [] : [environmentArg]),
    text: (a, scope) =>
      [
        `Diagnose the work queue of the self-hosted environment ${scope ?? a.environment_id}.`,
        `1. Call diagnose_work_queue with ${envArgs(a.environment_id, scope)}.`,
        '2. Tell me its summary, then each finding in plain words: what it means, which items, for how long.',
        '3. For details of an item, call get_work_item. Do not poll, ack or heartbeat anything: that takes work from my workers.',
        "4. Where a finding's next_call would change something (stop_work_item), show me that call and ask me first; " +
          'you can show what it would send with dry_run: true.',
        '5. If the result lists something as incomplete, tell me which credential to set.',
      ].join('\n'),
  },
  {
    name: 'set-up-self-hosted-environment',
    title: 'Set up a self-hosted environment',
    description: 'Create a self-hosted environment and check that workers pick up its work.',
    needs: ['create_environment'],
    arguments: () => [
      {
        name: 'name',
        description: 'Name of the new environment',
        required: true,
        check: (v) => (v.length >= 1 && v.length <= 256 ? undefined : 'must be 1-256 characters'),
      },
      { name: 'description', description: 'What it is for (optional)', required: false },
    ],
    text: (a) => {
      const body = {
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        config: { type: 'self_hosted' },
      };
      return [
        `Set up a self-hosted environment named "${a.name}".`,
        '1. Check that it does not exist yet: list_environments with {"all": true}, and look for that name.',
        `2. Show me what create_environment would send with ${JSON.stringify({ ...body, dry_run: true })}; once I agree, call it without dry_run.`,
        '3. Tell me its id. This API does not hand out the environment key that workers use: tell me to get it where I manage ' +
          'the environment, and to set it as ANTHROPIC_ENVIRONMENT_KEY for my workers (and for this server, to list work items).',
        '4. Once a worker runs, call get_work_queue_stats: workers_polling above 0 means a worker is polling. Then call ' +
          'diagnose_work_queue to check the queue.',
        'Do not poll, ack or heartbeat work items yourself: that takes work from my workers.',
      ].join('\n');
    },
  },
];

export function registerPrompts(server: Server, inventory: Inventory): void {
  const scope = inventory.environmentId;
  const offered = PROMPTS.filter((p) => p.needs.every((t) => inventory.byName.has(t)));

  server.setRequestHandler('prompts/list', async () => ({
    prompts: offered.map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      arguments: p
        .arguments(scope)
        .map(({ name, description, required }) => ({ name, description, required })),
    })),
  }));

  server.setRequestHandler('prompts/get', async (request) => {
    const prompt = offered.find((p) => p.name === request.params.name);
    if (!prompt) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown prompt ${String(request.params.name).slice(0, 100)} (offered: ${offered.map((p) => p.name).join(', ') || 'none'})`,
      );
    }
    const given = request.params.arguments ?? {};
    for (const arg of prompt.arguments(scope)) {
      const value = given[arg.name];
      const problem =
        value === undefined || value === ''
          ? arg.required
            ? 'is required'
            : undefined
          : arg.check?.(value);
      if (problem)
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `${prompt.name}: argument ${arg.name} ${problem}`,
        );
    }
    return {
      description: prompt.description,
      messages: [{ role: 'user', content: { type: 'text', text: prompt.text(given, scope) } }],
    };
  });
}
