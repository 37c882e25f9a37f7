// All tools, in the order tools/list shows them. The inventory
// (../inventory) decides which of them a server registers.
import type { OperationName } from '../api/operations.js';
import type { AnyTool, ToolDefinition } from './define.js';
import { diagnoseWorkQueue } from './diagnose.js';
import { environmentTools } from './environments.js';
import { workTools } from './work.js';
import { workQueueSnapshot } from './work-queue-view.js';

/** One tool per operation, keyed by it: an operation without a tool does not compile. */
export const operationTools: { readonly [N in OperationName]: ToolDefinition<N> } = {
  ...environmentTools,
  ...workTools,
};

// Each entry's types are those of its own operation; as a list they are the general AnyTool.
export const allTools: readonly AnyTool[] = [
  ...Object.values(operationTools),
  diagnoseWorkQueue,
  workQueueSnapshot,
] as AnyTool[];
export type { AnyTool, CompositeTool, ToolDefinition, Toolset } from './define.js';
