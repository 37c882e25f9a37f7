// One HTTP user's many long polls must not stall another user's call: polls
// go through a connection pool of their own, so they cannot take every
// connection a plain call needs (README, time limits).
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/config.js';
import { connectHttp, startHttp, type HttpServer } from '../support/http.js';
import { json, startRecorder, type Recorder } from '../support/recorder.js';
import { ENV_ID, environment } from '../support/samples.js';

const POLLS = 300;

let rec: Recorder;
let srv: HttpServer;
const held: ServerResponse[] = [];
let answeredPolls = 0;

beforeAll(async () => {
  rec = await startRecorder();
  rec.fallback = (req, res, raw) => {
    // A poll is held open (as a busy API holding its block) until the test lets it go.
    if (req.path.endsWith('/work/poll')) return void held.push(res);
    json(200, environment)(req, res, raw);
  };
  srv = await startHttp({
    args: ['--base-url', rec.url, '--timeout-ms', '20000', '--max-retries', '0'],
    env: {
      ANTHROPIC_API_KEY: 'sk-ant-api-fairness-0123456789',
      ANTHROPIC_ENVIRONMENT_KEY: 'env-key-fairness-0123456789',
    },
  });
});

afterAll(async () => {
  for (const res of held) if (!res.writableEnded) res.end();
  await srv?.stop();
  await rec?.close();
});

describe('long polls and other calls in HTTP mode', () => {
  it(`${POLLS} held polls of one user leave another user's call free to go`, async () => {
    const poller = await connectHttp(srv.url);
    const other = await connectHttp(srv.url);
    try {
      const polls = Array.from({ length: POLLS }, () =>
        poller.call('poll_work_item', { environment_id: ENV_ID, block_ms: 999 }).then((r) => {
          answeredPolls++;
          return r;
        }),
      );
      // Every connection a shared pool would have (64) is held by a poll.
      await until(() => held.length >= 64, 15_000, '64 polls held at the API');
      const r = await other.call('get_environment', { environment_id: ENV_ID });
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect(answeredPolls).toBe(0);
      for (const res of held) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('null');
      }
      // The rest reach the API as the first ones free their connections.
      await until(
        () => {
          for (const res of held) {
            if (!res.headersSent) {
              res.writeHead(200, { 'content-type': 'application/json' });
              res.end('null');
            }
          }
          return answeredPolls === POLLS;
        },
        20_000,
        'every poll answered',
      );
      await Promise.all(polls);
    } finally {
      await poller.close();
      await other.close();
    }
  }, 60_000);
});
