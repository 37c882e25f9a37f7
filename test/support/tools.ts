// The tool declarations, for in-process tests.
export { isComposite } from '../../src/tools/define.js';
export { allTools, operationTools } from '../../src/tools/index.js';
