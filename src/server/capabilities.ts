// What the server offers, declared once: the SDK server declares it, and the
// stdio front (../transports/stdio.ts) answers initialize with it before the
// SDK is loaded.
export const CAPABILITIES = { tools: {}, logging: {}, resources: {}, prompts: {} };
