// All tools, in the order tools/list shows them. The inventory
// (../inventory) decides which of them a server registers.
import type { AnyTool } from './define.js';
import { diagnoseWorkQueue } from './diagnose.js';
import { environmentTools } from './environments.js';
import { workTools } from './work.js';
import { workQueueSnapshot } from './work-queue-view.js';

export const allTools: readonly AnyTool[] = [...environmentTools, ...workTools, diagnoseWorkQueue, workQueueSnapshot] as AnyTool[];
export type { AnyTool, CompositeTool, ToolDefinition, Toolset } from './define.js';
