// A JSON key named `__proto__` cannot survive being copied into a plain
// object, which the SDK's schemas do to every message: it would vanish
// silently. Both transports refuse such a message by name instead.

/** Where an own `__proto__` key sits in a parsed JSON value (e.g. `params.arguments`), if anywhere. */
export function protoKeyPath(value: unknown): string | undefined {
  // A loop, not recursion: hostile nesting must not overflow the stack.
  const todo: [unknown, string][] = [[value, '']];
  while (todo.length) {
    const [node, path] = todo.pop()!;
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      if (key === '__proto__') return path || '(message)';
      todo.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

export function protoKeyMessage(path: string): string {
  const at = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return `Invalid params: a key named "__proto__" is not allowed (at ${at})`;
}
