// Runs a command to completion (the built CLI, npm, npx) and returns what it
// printed. Never throws on a non-zero exit: tests assert on the code.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI, cleanEnv } from './mcp.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** Added to a clean environment (no ANTHROPIC_/AGENT_ENVIRONMENTS_ variables from the machine). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? ROOT,
      env: cleanEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The built CLI, as `node dist/cli.js …`. */
export function runCli(args: readonly string[], opts: RunOptions = {}): Promise<Ran> {
  return run(process.execPath, [CLI, ...args], opts);
}
