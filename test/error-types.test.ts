// The client and the emulator name an error status the same way: the
// client's type for an error body without one (a gateway's page) is the
// type the emulator answers for that status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllPools, createApiClient } from '../src/api/client.js';
import { ApiError } from '../src/api/errors.js';
import { EmulatorError } from '../src/emulator/errors.js';
import { testConfig } from './support/config.js';
import { startRecorder, type Recorder } from './support/recorder.js';

let rec: Recorder;
beforeAll(async () => {
  rec = await startRecorder();
});
afterAll(async () => {
  await closeAllPools();
  await rec.close();
});

describe('status → error type', () => {
  it.each([400, 401, 402, 403, 404, 405, 409, 412, 413, 418, 429, 500, 502, 504, 529])(
    '%i',
    async (status) => {
      rec.respond((_req, res) => {
        res.writeHead(status, { 'content-type': 'text/html' });
        res.end('<html>gateway</html>');
      });
      const client = createApiClient(testConfig(rec.url, { maxRetries: 0 }));
      const err = await client
        .call('get_environment', { environment_id: 'env_types' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).type).toBe(new EmulatorError(status, 'x').type);
    },
  );
});
