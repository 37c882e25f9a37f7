// The six environment tools. Each entry is the model-facing contract of one
// operation in ../api/operations.ts; arguments are the API's own field names.
import { defineTool, environmentName, READ } from './define.js';
import { DRY_RUN, WHOLE_LIST } from './extras.js';
import { ENVIRONMENTS_VIEW } from './views.js';

const WRITE = { readOnlyHint: false, openWorldHint: true } as const;

export const environmentTools = {
  create_environment: defineTool({
    name: 'create_environment',
    title: 'Create environment',
    description:
      'Create an environment for Managed Agents sessions: config {type:"self_hosted"} (your own workers poll its work queue) ' +
      'or {type:"cloud"} (Anthropic\'s container). Not idempotent: a repeat creates a second one.',
    toolset: 'environments',
    annotations: { ...WRITE, destructiveHint: false, idempotentHint: false },
    extras: DRY_RUN,
  }),
  list_environments: defineTool({
    name: 'list_environments',
    title: 'List environments',
    description:
      'List environments. Archived ones only with include_archived. Pass next_page as page for more.',
    toolset: 'environments',
    annotations: READ,
    extras: WHOLE_LIST,
    ui: { resourceUri: ENVIRONMENTS_VIEW },
  }),
  get_environment: defineTool({
    name: 'get_environment',
    title: 'Get environment',
    description: 'Get one environment: name, config, metadata, scope, archived_at.',
    toolset: 'environments',
    annotations: READ,
  }),
  update_environment: defineTool({
    name: 'update_environment',
    title: 'Update environment',
    description:
      'Change an environment. Only the fields given change; metadata merges (null or "" deletes a key). ' +
      'config.type cannot change; archived environments cannot be updated.',
    toolset: 'environments',
    annotations: { ...WRITE, destructiveHint: false, idempotentHint: true },
    extras: DRY_RUN,
  }),
  delete_environment: defineTool({
    name: 'delete_environment',
    title: 'Delete environment',
    description:
      'Delete an environment for good; cannot be undone. archive_environment keeps its history.',
    toolset: 'environments',
    annotations: { ...WRITE, destructiveHint: true, idempotentHint: true },
    extras: DRY_RUN,
    confirm: {
      question: (t) =>
        `Delete environment ${t.environmentId} for good? ${t.workSummary ?? ''} This cannot be undone.${environmentName(t)}`,
    },
  }),
  archive_environment: defineTool({
    name: 'archive_environment',
    title: 'Archive environment',
    description:
      'Archive an environment: no new sessions can use it and it leaves the default list. Cannot be undone.',
    toolset: 'environments',
    annotations: { ...WRITE, destructiveHint: true, idempotentHint: true },
    extras: DRY_RUN,
    confirm: {
      question: (t) =>
        `Archive environment ${t.environmentId}? No new sessions can use it. ${t.workSummary ?? ''} This cannot be undone.${environmentName(t)}`,
    },
  }),
};
