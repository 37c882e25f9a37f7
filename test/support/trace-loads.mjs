// Preloaded with `node --import`: records the URL of every module the process
// resolves, one a line, in the file TRACE_LOADS_FILE names. The lean-start
// test reads it to see what a running server has loaded so far.
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url, { data: { file: process.env.TRACE_LOADS_FILE } });
