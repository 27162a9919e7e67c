/**
 * @module
 * Every fault class wsstress recognises: what happened, what it is counted
 * as, and the verdict it gives the suite it happens in. The error tally
 * accepts only these classes, the verdicts read them, and the table in
 * docs/honest-numbers.md ("When the server misbehaves") is generated from them.
 *
 * An absence fault is inferred from something that did not happen (a reply,
 * a delivery, an open socket): after a user's stop nothing more could
 * happen, so one seen then is kept in a note, never counted against the server.
 */
import type { Verdict } from "./result.ts";

export type Fault = {
  /** what the server (or the run) did */
  what: string;
  /** where it shows besides the suite's error list */
  counted: string;
  verdict: Exclude<Verdict, "pass">;
  /** inferred from something that did not happen: not counted after a user's stop */
  absence: boolean;
};

const fault = (what: string, counted: string, verdict: Fault["verdict"], absence = false): Fault => ({
  what,
  counted,
  verdict,
  absence,
});
const ERRORS = "`errors` (message, subscription)";

export const FAULTS = {
  connect_failed: fault(
    "nothing listens, the handshake is refused (an HTTP error instead of the upgrade) or the TCP connection fails",
    `\`connection.wire.failures\`, ${ERRORS}, a share below 100 % in \`answered_pct\``,
    "fail",
  ),
  handshake_timeout: fault("no answer to the handshake within the timeout", `\`connection.wire.failures\`, ${ERRORS}`, "fail", true),
  connection_lost: fault(
    "the server closed or reset a live connection",
    `${ERRORS}; a suite whose every connection was closed under it fails`,
    "fail",
    true,
  ),
  socket_error: fault("a protocol error on a live connection (an oversized or malformed frame)", ERRORS, "fail"),
  close_timeout: fault("the server never answered the client's close (the socket is cut)", ERRORS, "warn", true),
  bad_frame: fault("a frame that is not the protocol (undecodable text, binary)", ERRORS, "fail"),
  bad_reply: fault(
    "a reply that fits no request (unknown or repeated id, wrong op, " +
      "a delivery with a seq never published or a ts that is no time)",
    ERRORS,
    "fail",
  ),
  unsolicited: fault(
    "a frame with no request to answer (no id, a reply that matches no request waiting, a reply on a subscriber, " +
      "a frame a setup did not wait for)",
    ERRORS,
    "warn",
  ),
  timeout: fault(
    "a request never answered (the run waits `timeout` ms without progress); " +
      "an unanswered permission decision too: failing closed means an explicit deny",
    `${ERRORS}, \`answered_pct\` below 100 %, and every latency percentile of the suite ❌`,
    "fail",
    true,
  ),
  lost_request: fault(
    "a request on a connection that closed before answering it (counted at once, not waited out)",
    `${ERRORS}, \`answered_pct\` below 100 %`,
    "fail",
    true,
  ),
  aborted: fault(
    "a request still unanswered when the user stopped the run",
    "a note only: the stop is not the server's fault",
    "none",
    true,
  ),
  setup_refused: fault(
    "the server refused a connection's setup (a login, a namespace connect, an authentication: an error or a close), " +
      "or a suite's subscribe",
    "`connection.wire.failures` (the connection never counts as open), the suite's error list",
    "fail",
  ),
  setup_timeout: fault(
    "a connection's setup got no answer within the timeout (the upgrade itself succeeded)",
    "`connection.wire.failures`, the suite's error list",
    "fail",
    true,
  ),
  heartbeat_missed: fault(
    "the server's heartbeat (Engine.IO's ping) did not come within the interval it promised; " +
      "the connection is closed, as a real client does",
    ERRORS,
    "fail",
    true,
  ),
  refused: fault("a subscribe or unsubscribe not acknowledged", "`subscription.wire.errors`", "fail"),
  publish_refused: fault("a publish not acknowledged in broadcast", "the suite's error list", "fail"),
  recipient_count: fault("a publish ack whose recipient count differs from the subscribers", "the suite's error list", "warn"),
  lost: fault(
    "a delivery that never reached a subscriber (waited for until `timeout` ms pass without progress)",
    "`broadcast.wire.lost`, `answered_pct` below 100 %",
    "fail",
    true,
  ),
  duplicate: fault("a delivery a subscriber received twice (counted until its connection closes)", "`broadcast.wire.duplicated`", "fail"),
  out_of_order: fault("a delivery that arrived after a later one", "`broadcast.wire.out_of_order`", "fail"),
  unexpected_delivery: fault("a delivery to a connection whose subscribe the server refused", "`broadcast.wire.unexpected`", "fail"),
  wrong_allow: fault(
    "the server allowed what its policy denies: an ok ack, or a publish that reached the observer " +
      "subscribed to every forbidden channel, ack or not",
    "`permission.wire.wrong_allows`; a security failure, first among the recommendations",
    "fail",
  ),
  wrong_deny: fault("the server refused what its policy allows", "`permission.wire.wrong_denies`", "fail"),
  nothing_measured: fault(
    "a suite could not measure what it exists for: no connection opened, no decision, delivery or byte",
    "the suite fails with the reason, and the run is not complete",
    "fail",
  ),
  wire_error: fault("the wire layer threw part-way (it keeps what it measured)", "the suite fails, and the run is not complete", "fail"),
  engine_error: fault("the engine layer threw (the reference hub in-process)", "the suite fails, and the run is not complete", "fail"),
  worker_lost: fault("a load-generator worker process went away", "the suite fails, and the run is not complete", "fail", true),
  scenario_error: fault(
    "a scenario's own code threw during a run (its setup, an iteration, its teardown); the iteration is not completed",
    "the scenario's `errors`, `answered_pct` below 100 % when an iteration threw",
    "fail",
  ),
  expect_missed: fault(
    "a push a scenario awaited (`vu.expect`, `vu.delivery`) did not come within its bound",
    "the scenario's `expect_misses`",
    "fail",
    true,
  ),
  inbox_overflow: fault(
    "a virtual user's inbox of unread pushes was full: the oldest push was dropped (it was received and counted)",
    "the scenario's `pushes_overflowed`",
    "warn",
  ),
  arrival_dropped: fault(
    "an arrival of the open model found every virtual user of the level busy and could not start",
    "the scenario's `arrivals_dropped`",
    "fail",
  ),
  negative_count: fault(
    "a count came out negative: a bookkeeping bug in wsstress, never shown as a figure",
    "the figure is left out",
    "fail",
  ),
} as const satisfies Record<string, Fault>;

export type FaultClass = keyof typeof FAULTS;

/** The fault class `name`, or undefined for a class this wsstress does not know (a result from another version). */
export const faultOf = (name: string): Fault | undefined => (Object.hasOwn(FAULTS, name) ? FAULTS[name as FaultClass] : undefined);

/** The verdict an error class gives its suite: an unknown class warns. */
export const faultVerdict = (name: string): Fault["verdict"] => faultOf(name)?.verdict ?? "warn";
