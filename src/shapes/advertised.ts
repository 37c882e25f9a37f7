// A shape may be advertised in tools/list as a short summary instead of its
// full JSON Schema. The full rules still apply: the server validates every
// argument with the zod shape and names the field that breaks one. Used
// where the full schema would cost the model far more tokens than it helps
// (the environment config union: ~2.2 kB as JSON Schema, ~0.4 kB as this).
import type { z } from 'zod';

type Json = Record<string, unknown>;

const summaries = new WeakMap<z.ZodType, Json>();

export function advertisedAs<T extends z.ZodType>(shape: T, summary: Json): T {
  summaries.set(shape, summary);
  return shape;
}

export function advertisedSummary(shape: z.ZodType): Json | undefined {
  return summaries.get(shape);
}
