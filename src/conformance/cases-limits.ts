/**
 * Group 9 (Autobahn 9.x, limits and performance; opt-in, slow): text and
 * binary messages from 64 KiB to 16 MiB, whole, in fragments from 64 B to
 * 4 MiB, in chops from 64 B to 2 KiB, and 1,000 round trips of small
 * messages. Each must come back whole and exact within its time; the time it
 * took is reported. A server with a message limit below a case's size fails
 * that case (Autobahn's verdict too), however politely it refuses.
 */
import type { CaseContext } from "./case-context.ts";
import type { CaseDefinition, CaseGroup } from "./case-definition.ts";
import { notAsSent } from "./case-judge.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const size = (n: number): string => (n >= MiB ? `${n / MiB} MiB` : n >= KiB ? `${n / KiB} KiB` : `${n} B`);
const patternOf = (binary: boolean): Uint8Array | string => (binary ? new Uint8Array([0xfe]) : "BAsd7&jh23");

/** Sends `count` messages one after another, each once the last came back; OK when all came back exact within `waitMs`. */
function roundTrips(
  c: CaseContext,
  o: { binary: boolean; bytes: number; count: number; waitMs: number; fragmentSize?: number; chop?: number },
): void {
  const payload = c.fill(o.bytes, patternOf(o.binary));
  const expected = c.dialect.reply(payload, o.binary);
  const started = performance.now();
  let back = 0;
  c.suppressClose = true;
  const missing = (why = ""): void =>
    c.settle("FAILED", `${o.count === 1 ? "the message" : `${o.count - back} of ${o.count} messages`} did not come back${why}`);
  missing();
  c.onMessage((m) => {
    const wrong = notAsSent(m, expected, back + 1);
    if (wrong !== undefined) {
      c.settle("FAILED", wrong);
      return c.close();
    }
    back++;
    missing();
    if (back < o.count) return c.sendMessage(payload, o);
    c.settle(
      "OK",
      `${o.count === 1 ? "the message" : `all ${o.count} messages`} came back exact in ${Math.round(performance.now() - started)} ms`,
    );
    c.close();
  });
  c.expectClose({ by: "client", codes: [1000], clean: true });
  c.sendMessage(payload, o);
  c.later(o.waitMs, () => {
    missing(` within ${o.waitMs / 1000} s`);
    c.close();
  });
}

function limitCase(id: string, description: string, run: (c: CaseContext) => void, waitMs: number): CaseDefinition {
  return {
    id,
    description,
    expectation: `It comes back exact within ${waitMs / 1000} s (the time is reported).`,
    echo: true,
    limitMs: waitMs + 10_000,
    script: run,
  };
}

const SIZES = [64 * KiB, 256 * KiB, MiB, 4 * MiB, 8 * MiB, 16 * MiB];
const FRAGMENTS = [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB];
const CHOPS = [64, 128, 256, 512, 1024, 2048];
const SMALL = [0, 16, 64, 256, 1024, 4096];

function section(n: number, binary: boolean): CaseDefinition[] {
  const kind = binary ? "binary" : "text";
  const id = (i: number): string => `9.${n}.${i + 1}`;
  switch (n) {
    case 1:
    case 2:
      return SIZES.map((bytes, i) => {
        const waitMs = [10, 20, 30, 60, 100, 200][i] * 1000;
        return limitCase(
          id(i),
          `Send a ${kind} message of ${size(bytes)}.`,
          (c) => roundTrips(c, { binary, bytes, count: 1, waitMs }),
          waitMs,
        );
      });
    case 3:
    case 4:
      return FRAGMENTS.map((fragmentSize, i) =>
        limitCase(
          id(i),
          `Send a ${kind} message of 4 MiB in fragments of ${size(fragmentSize)}.`,
          (c) => roundTrips(c, { binary, bytes: 4 * MiB, count: 1, waitMs: 100_000, fragmentSize }),
          100_000,
        )
      );
    case 5:
    case 6:
      return CHOPS.map((chop, i) =>
        limitCase(
          id(i),
          `Send a ${kind} message of 1 MiB in chops of ${chop} octets.`,
          (c) => roundTrips(c, { binary, bytes: MiB, count: 1, waitMs: 100_000, chop }),
          100_000,
        )
      );
    default:
      return SMALL.map((bytes, i) =>
        limitCase(
          id(i),
          `Send 1,000 ${kind} messages of ${size(bytes)}, each once the last came back.`,
          (c) => roundTrips(c, { binary, bytes, count: 1000, waitMs: 60_000 }),
          60_000,
        )
      );
  }
}

export const LIMITS: CaseGroup = {
  id: "9",
  title: "Limits and performance",
  optIn: true,
  sections: [
    { id: "9.1", title: "Text messages of 64 KiB to 16 MiB" },
    { id: "9.2", title: "Binary messages of 64 KiB to 16 MiB" },
    { id: "9.3", title: "A fragmented 4 MiB text message" },
    { id: "9.4", title: "A fragmented 4 MiB binary message" },
    { id: "9.5", title: "A 1 MiB text message in chops" },
    { id: "9.6", title: "A 1 MiB binary message in chops" },
    { id: "9.7", title: "1,000 text round trips" },
    { id: "9.8", title: "1,000 binary round trips" },
  ],
  cases: [1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => section(n, n % 2 === 0)),
};
