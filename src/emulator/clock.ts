// The emulator's idea of time. Every timestamp it writes and every lease or
// reclaim decision it takes reads this clock, so tests can move time forward
// instead of sleeping. (The wait of a long poll is real time: it is about an
// open HTTP connection, not about the queue.)

export interface Clock {
  /** Milliseconds since the epoch, as the emulator sees them. */
  now(): number;
  /** Moves time forward by `ms` (never backward). */
  advance(ms: number): void;
  /** True when time moves only through advance(). */
  readonly frozen: boolean;
}

/** The system clock, plus whatever advance() added. */
export function systemClock(): Clock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += checkStep(ms);
    },
    frozen: false,
  };
}

/** A clock that stands still until advanced: for deterministic tests. */
export function manualClock(start: number | string = '2026-01-01T00:00:00Z'): Clock {
  let now = typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(now)) throw new Error(`manualClock: not a time: ${String(start)}`);
  return {
    now: () => now,
    advance(ms) {
      now += checkStep(ms);
    },
    frozen: true,
  };
}

function checkStep(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error(`clock.advance: ms must be a finite number >= 0, got ${ms}`);
  return ms;
}

/**
 * RFC 3339 timestamps with microseconds that never repeat within a stamper.
 * A heartbeat's `last_heartbeat` is echoed back as a precondition, so two
 * beats in the same millisecond (or under a frozen clock) must still differ.
 */
export function stamper(clock: Clock): () => string {
  let lastMicros = 0;
  return () => {
    const micros = Math.max(clock.now() * 1000, lastMicros + 1);
    lastMicros = micros;
    return rfc3339Micros(micros);
  };
}

export function rfc3339Micros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = String(Math.round(micros - ms * 1000)).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${rest}Z`);
}

/** An RFC 3339 timestamp of a clock instant (milliseconds). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}
