/**
 * A clock that moves only when told, timers on it, and connections whose
 * server answers every request exactly `holdMs` after it was sent: the open
 * loop on it is deterministic, so what it records can be checked to the
 * nanosecond. `lateMs` makes every timer fire that much late; `sendCostMs`
 * makes every send take that long, as a generator that cannot keep up would.
 */
import type { PacerTiming } from "../src/load/open-loop.ts";
import type { LoadConnection } from "../src/load/pool.ts";
import type { Reply } from "../src/protocol/messages.ts";
import { wsstressSession } from "../src/profiles/wsstress.ts";

type Timer = { at: number; seq: number; fn: () => void; cancelled: boolean };

export class FakePacer {
  now = 0;
  readonly #timers: Timer[] = [];
  #seq = 0;
  readonly #lateMs: number;

  constructor(lateMs = 0) {
    this.#lateMs = lateMs;
  }

  at(delayMs: number, fn: () => void, late = 0): () => void {
    const timer = { at: this.now + Math.max(0, delayMs) + late, seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return () => void (timer.cancelled = true);
  }

  readonly timing: PacerTiming = {
    now: () => this.now,
    wake: (fn, ms) => this.at(ms, fn, this.#lateMs),
  };

  /** Runs every timer in time order until none is left. */
  run(): void {
    for (;;) {
      const live = this.#timers.filter((t) => !t.cancelled);
      if (live.length === 0) return;
      const next = live.reduce((a, b) => (b.at < a.at || (b.at === a.at && b.seq < a.seq) ? b : a));
      next.cancelled = true;
      this.now = Math.max(this.now, next.at);
      next.fn();
    }
  }

  /** `n` connections to a server that echoes every `{"id":…}` request `holdMs` after it was sent. */
  connections(n: number, holdMs: number, sendCostMs = 0): LoadConnection[] {
    return Array.from({ length: n }, (_, index) => {
      const conn: LoadConnection = {
        index,
        open: true,
        session: wsstressSession,
        onReply: () => {},
        onGone: () => {},
        socket: {
          send: (data: string) => {
            this.now += sendCostMs;
            const id = (JSON.parse(data) as { id: number }).id;
            this.at(holdMs, () => conn.onReply({ op: "echo", id, p: "" } as Reply, this.now));
          },
          close() {},
          bufferedAmount: 0,
          extensions: "",
          protocol: "",
        },
      };
      return conn;
    });
  }
}
