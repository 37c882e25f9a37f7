// Faults on demand: make the next N requests of an operation fail the way a
// real service or network does, to test retries and worker resilience.
import { z } from 'zod';
import { OPERATION_NAMES, type OperationName } from '../api/operations.js';

export const FaultSpec = z
  .strictObject({
    operation: z
      .enum(['*', ...OPERATION_NAMES] as const)
      .default('*')
      .describe('Operation (tool) name whose requests fail, or * for every API request'),
    count: z.int().min(1).max(10_000).default(1).describe('How many requests in a row'),
    status: z
      .int()
      .min(400)
      .max(599)
      .optional()
      .describe('Answer with this status and its error body'),
    type: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('error.type (default: the one of the status)'),
    message: z.string().max(2000).optional(),
    error_code: z.string().min(1).max(100).optional().describe('error.details.error_code'),
    retry_after: z.number().min(0).max(86_400).optional().describe('retry-after header, seconds'),
    retry_after_ms: z.number().min(0).max(86_400_000).optional().describe('retry-after-ms header'),
    should_retry: z.boolean().optional().describe('x-should-retry header'),
    delay_ms: z
      .int()
      .min(0)
      .max(120_000)
      .optional()
      .describe('Wait this long first (then answer normally without status)'),
    drop: z.boolean().optional().describe('Close the connection without an answer'),
  })
  .refine((f) => f.status !== undefined || f.delay_ms !== undefined || f.drop === true, {
    message: 'a fault needs status, delay_ms or drop',
  });

export type FaultInput = z.input<typeof FaultSpec>;
export type Fault = z.output<typeof FaultSpec> & { id: number; remaining: number };

export interface Faults {
  add(spec: FaultInput): Fault;
  /** Faults still armed, in the order they apply. */
  list(): Fault[];
  clear(): void;
  /** The fault that applies to this request, counted as used; undefined when none. */
  take(operation: OperationName): Fault | undefined;
}

export function createFaults(): Faults {
  let armed: Fault[] = [];
  let nextId = 1;
  return {
    add(spec) {
      const parsed = FaultSpec.parse(spec);
      const fault: Fault = { ...parsed, id: nextId++, remaining: parsed.count };
      armed.push(fault);
      return fault;
    },
    list: () => armed.map((f) => ({ ...f })),
    clear() {
      armed = [];
    },
    take(operation) {
      const fault = armed.find((f) => f.operation === '*' || f.operation === operation);
      if (!fault) return undefined;
      fault.remaining--;
      if (fault.remaining <= 0) armed = armed.filter((f) => f !== fault);
      return fault;
    },
  };
}
