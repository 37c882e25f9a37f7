// A graceful stop: SIGTERM stops new connections, lets the call in flight
// finish, and exits 0.
import { describe, expect, it, vi } from 'vitest';
import { connectHttp, startHttp } from '../support/http.js';
import { json, startRecorder } from '../support/recorder.js';
import { ENV_ID, environment } from '../support/samples.js';

describe('stopping the HTTP server', () => {
  it('finishes the call in flight on SIGTERM, then exits 0 and takes no new connections', async () => {
    const rec = await startRecorder();
    rec.fallback = json(200, environment);
    const srv = await startHttp({
      args: ['--base-url', rec.url],
      env: { ANTHROPIC_API_KEY: 'sk-ant-api-lifecycle-0123456789' },
    });
    try {
      const mcp = await connectHttp(srv.url);
      // The API answers this one only after the signal has been sent.
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      rec.respond(async (req, res, raw) => {
        await released;
        await json(200, environment)(req, res, raw);
      });
      const inFlight = mcp.call('get_environment', { environment_id: ENV_ID });
      await vi.waitFor(() => expect(rec.requests.length).toBe(1));

      srv.proc.kill('SIGTERM');
      await vi.waitFor(() => expect(srv.stderr()).toContain('SIGTERM'));
      const health = await fetch(new URL('/healthz', srv.url)).then(
        (r) => r.status,
        () => 'refused',
      );
      // Either refused (the listener is closed) or 503 on a kept-alive connection.
      expect([503, 'refused']).toContain(health);
      release();

      const result = await inFlight;
      expect(result.isError).toBeFalsy();
      expect(await srv.exited).toBe(0);
      await expect(fetch(new URL('/healthz', srv.url))).rejects.toThrow();
    } finally {
      await srv.stop();
      await rec.close();
    }
  });
});
