// A configuration for in-process client tests, built by the real parser from
// environment variables, then adjusted (small timeouts keep the suite fast).
import { parseConfig, type Config } from '../../src/config/config.js';
import { API_KEY, ENVIRONMENT_KEY } from './samples.js';

export function testConfig(
  baseUrl: string,
  overrides: Partial<Config> = {},
  env: Record<string, string> = {},
): Config {
  const { config } = parseConfig([], {
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: API_KEY,
    ANTHROPIC_ENVIRONMENT_KEY: ENVIRONMENT_KEY,
    ...env,
  });
  return { ...config, ...overrides };
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
