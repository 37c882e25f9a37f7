// The floor: a bare Node process answering JSON-RPC on stdio, no imports.
// It answers initialize or server/discover, tools/list (one echo tool) and
// tools/call (echo), which is the least any MCP server must do.
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
    const line = buffer.slice(0, end);
    buffer = buffer.slice(end + 1);
    if (!line.trim()) continue;
    const msg = JSON.parse(line);
    if (msg.id === undefined) continue;
    let result;
    if (msg.method === 'initialize') {
      result = {
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'floor', version: '1.0.0' },
      };
    } else if (msg.method === 'server/discover') {
      result = { supportedVersions: ['2026-07-28'], capabilities: { tools: {} } };
    } else if (msg.method === 'tools/list') {
      result = {
        tools: [
          {
            name: 'echo',
            description: 'Echo',
            inputSchema: { type: 'object', properties: { text: { type: 'string' } } },
          },
        ],
      };
    } else if (msg.method === 'tools/call') {
      result = { content: [{ type: 'text', text: JSON.stringify(msg.params.arguments ?? {}) }] };
    } else {
      result = {};
    }
    process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result })}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));
