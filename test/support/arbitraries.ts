// fast-check arbitraries for tool arguments: valid ones derived from the
// tools' own input JSON Schemas (so a new tool or field is fuzzed without
// edits here), and adversarial values aimed at URL paths, headers, bounds
// and types.
import fc from 'fast-check';

type Schema = Record<string, any>;

/** Arguments that satisfy `schema` (refinements zod does not export, such as key counts, may still fail). */
export function validFor(schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const defs: Record<string, Schema> = schema.$defs ?? {};
  const cache = new Map<Schema, fc.Arbitrary<unknown>>();

  function arb(s: Schema): fc.Arbitrary<unknown> {
    if (s.$ref) return arb(defs[String(s.$ref).replace('#/$defs/', '')]!);
    const hit = cache.get(s);
    if (hit) return hit;
    const made = make(s);
    cache.set(s, made);
    return made;
  }

  function make(s: Schema): fc.Arbitrary<unknown> {
    const union = s.oneOf ?? s.anyOf;
    if (union) return fc.oneof(...(union as Schema[]).map(arb));
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
    switch (s.type) {
      case 'string':
        return stringFor(s);
      case 'integer':
        return fc.oneof(
          fc.integer({ min: s.minimum ?? -(2 ** 31), max: s.maximum ?? 2 ** 31 }),
          fc.constantFrom(...[s.minimum, s.maximum].filter((n) => n !== undefined)),
        );
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: s.minimum, max: s.maximum });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(arb(s.items ?? {}), { maxLength: Math.min(s.maxItems ?? 4, 4) });
      case 'object':
        if (s.properties) {
          const props = Object.fromEntries(
            Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, arb(v)]),
          );
          return fc.record(props, { requiredKeys: (s.required ?? []) as string[] });
        }
        return fc.dictionary(
          s.propertyNames
            ? (arb(s.propertyNames) as fc.Arbitrary<string>)
            : fc.string({ minLength: 1, maxLength: 8 }),
          s.additionalProperties ? arb(s.additionalProperties) : fc.jsonValue(),
          { maxKeys: 4 },
        );
      default:
        return fc.jsonValue();
    }
  }

  return arb(schema) as fc.Arbitrary<Record<string, unknown>>;
}

/** Valid strings, from short unicode ones to exactly the longest allowed. */
function stringFor(s: Schema): fc.Arbitrary<string> {
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 64;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 24), unit: 'grapheme' }),
    },
    {
      weight: 1,
      arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 24), unit: 'binary' }),
    },
    { weight: 1, arbitrary: fc.constant('m'.repeat(max)) },
  );
}

/** Strings aimed at URL paths, query strings, headers and terminals. */
export const trickyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '.',
    '..',
    '/',
    '//',
    '%2F',
    '%2f',
    '%2e%2e',
    '..%2F..%2Fv1',
    '../../v1/environments',
    'env/../work',
    'a/b',
    '?',
    '#',
    'env?x=1',
    'env#frag',
    'env&limit=1',
    'env;x',
    'env\\x',
    'env 1',
    '\t',
    '\n',
    '\r\n',
    'env\r\nx-injected: 1',
    '\u0000',
    'env\u0000',
    '\u007f',
    '\u001b[31mred',
    '\u202eevil',
    '\u200b',
    'ｅｎｖ',
    'é',
    '💥',
    '\ud800',
    'NO_HEARTBEAT ',
    '__proto__',
    'constructor',
    'null',
    'undefined',
    'NaN',
    '-1',
    '1e309',
    '0x10',
    '{}',
    '[]',
    '"',
    "'",
    '<script>',
    '$(id)',
  ),
  fc
    .tuple(
      fc.stringMatching(/^[a-z_]{1,10}$/),
      fc.constantFrom('/', '?', '#', '..', '%2F', ' ', '\n', '\u0000', '.'),
    )
    .map(([a, b]) => a + b + a),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
);

/** A few hundred kilobytes at most: big enough to hurt, small enough for CI. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 257, max: 200_000 }), fc.constantFrom('x', 'é', '💥', '/', '\u0000'))
  .map(([n, c]) => c.repeat(n));

export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    -1,
    1.5,
    999,
    1000,
    1001,
    86_400_001,
    2 ** 31,
    2 ** 53 + 2,
    -(2 ** 53),
    1e308,
    -1e308,
    Number.MIN_VALUE,
  ),
);

/** Any value a confused or hostile caller might put in a field. */
export const adversarialValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: trickyString },
  { weight: 1, arbitrary: hugeString },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(trickyString, oddNumber), { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(trickyString, fc.oneof(trickyString, fc.jsonValue()), { maxKeys: 3 }),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Argument names a tool does not have, including prototype and credential lookalikes. */
export function extraKey(known: readonly string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'api_key',
        'x-api-key',
        'authorization',
        'ANTHROPIC_API_KEY',
        'id',
        'body',
        'headers',
      ),
      fc.string({ minLength: 1, maxLength: 20 }),
      hugeString,
      ...known.map((k) => fc.constantFrom(`${k} `, k.toUpperCase(), `${k}\u0000`)),
    )
    .filter((k) => !known.includes(k));
}
