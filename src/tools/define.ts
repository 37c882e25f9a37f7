// The contract of a tool: what the model sees and how its result is shaped.
// Execution lives in ../server; the HTTP request lives in ../api/operations.
import type { z } from 'zod';
import type { OperationName, ResponseOf } from '../api/operations.js';

export type Toolset = 'environments' | 'work' | 'worker';

/** Every hint is required, so no tool can ship without saying what it does. */
export interface SafetyHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

export interface ResultContext {
  revealWorkSecret: boolean;
}

export interface ToolDefinition<N extends OperationName = OperationName> {
  /** The tool name, which is also the name of the API operation it calls. */
  name: N;
  title: string;
  description: string;
  toolset: Toolset;
  annotations: SafetyHints;
  /** Shapes the API's JSON into the tool's structured result (defaults to as-is). */
  result?: {
    schema: z.ZodObject;
    from: (data: ResponseOf<N>, ctx: ResultContext) => Record<string, unknown>;
  };
}

export function defineTool<N extends OperationName>(tool: ToolDefinition<N>): ToolDefinition<N> {
  return tool;
}

export const READ: SafetyHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
