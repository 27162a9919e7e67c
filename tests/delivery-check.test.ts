/**
 * Broadcast's delivery bookkeeping, fed by hand: each delivery counted once,
 * a second copy counted as a duplicate with how late it came, and the tail a
 * run listens for after its last expected delivery following that lateness.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeliveryCheck } from "../src/suites/_delivery-check.ts";
import { QUIET_MS, quietMsOf } from "../src/suites/_broadcast-run.ts";

const ms = (n: number): number => n * 1e6;

describe("delivery check", () => {
  it("counts unique, duplicated, out-of-order and invalid deliveries per recipient", () => {
    const check = new DeliveryCheck(2, 3);
    check.receive(0, 0, ms(1));
    check.receive(0, 2, ms(1));
    check.receive(0, 1, ms(1));
    check.receive(1, 0, ms(1));
    check.receive(1, 0, ms(40));
    check.receive(1, 3, ms(1));
    check.receive(1, 1, Number.NaN);
    assert.deepEqual(
      { unique: check.unique, duplicated: check.duplicated, outOfOrder: check.outOfOrder, invalid: check.invalid, reached: check.reached },
      { unique: 4, duplicated: 1, outOfOrder: 1, invalid: 2, reached: 3 },
    );
    assert.equal(check.slowestDuplicateNs, ms(40));
  });

  it("listens QUIET_MS after a run without copies, four times the latest copy's lateness after one with, at most the timeout", () => {
    const clean = new DeliveryCheck(1, 2);
    clean.receive(0, 0, ms(900));
    clean.receive(0, 1, ms(900));
    assert.equal(quietMsOf([clean], 30_000), QUIET_MS, "a slow delivery that is no copy does not stretch the tail");
    const copied = new DeliveryCheck(1, 2);
    copied.receive(0, 0, ms(5));
    copied.receive(0, 0, ms(130));
    assert.equal(quietMsOf([clean, copied], 30_000), 520);
    assert.equal(quietMsOf([copied], 300), 300);
  });
});
