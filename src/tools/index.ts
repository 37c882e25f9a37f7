// All tools, in the order tools/list shows them.
import type { ToolDefinition } from './define.js';
import { environmentTools } from './environments.js';
import { workTools } from './work.js';

export const allTools: readonly ToolDefinition[] = [...environmentTools, ...workTools] as ToolDefinition[];
export type { ToolDefinition, Toolset } from './define.js';
