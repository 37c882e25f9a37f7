// The MCP App views (../views) the tools link to through `_meta.ui`. The
// server serves them as resources (../server/views.ts); a host that renders
// MCP Apps opens one beside the tool's result, and every other host just
// reads the result's JSON, which stays complete.
export const WORK_QUEUE_VIEW = 'ui://agent-environments/work-queue';
export const ENVIRONMENTS_VIEW = 'ui://agent-environments/environments';
