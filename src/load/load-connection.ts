/**
 * One client connection of a pool, from its handshake to its close: the
 * upgrade (timed), the protocol session's setup and an authentication with
 * the connection's token (timed apart, each bounded by the timeout), then
 * the open life, where every frame is decoded by the session and handed to
 * the suite, and the server's heartbeats are watched. Every way it can fail
 * is counted once, in one class.
 */
import type { ClientSocket, ConnectOptions, Frame, Runtime } from "../model/runtime-contract.ts";
import type { FaultClass } from "../model/faults.ts";
import type { Histogram } from "../model/histogram.ts";
import type { Reply } from "../protocol/messages.ts";
import type { Decoded, Exchange, Link, Profile, Session } from "../profiles/profile.ts";
import { msToNs, now } from "./clock.ts";
import type { ErrorTally } from "./error-tally.ts";

export type LoadConnection = {
  readonly index: number;
  readonly socket: ClientSocket;
  /** the protocol on this connection: it frames the suite's requests */
  readonly session: Session;
  /** set by the suite running on this connection; `at` is `now()` on arrival */
  onReply: (reply: Reply, at: number) => void;
  /** set by a driver that must not wait for replies a closed connection can no longer bring */
  onGone: () => void;
  /**
   * set by a driver that reads frames itself (a scenario's virtual user): sees every frame of the open connection first,
   * and takes it (true), takes it as a heartbeat it decoded (`heartbeat`: the deadline is re-armed), or leaves it to the
   * session's decoding (false)
   */
  onFrame?: (frame: Frame, at: number) => boolean | "heartbeat";
  /** set up, and not closed since */
  open: boolean;
};

/** What a pool hands each of its connections. */
export type ConnectionDeps = {
  runtime: Runtime;
  profile: Profile;
  connectOptions: ConnectOptions;
  timeoutMs: number;
  errors: ErrorTally;
  handshakes: Histogram;
  setups: Histogram;
  auth?: Readonly<Record<string, string>>;
  /** the connection is set up and counts as open */
  onLive(conn: LoadConnection): void;
  /** an open connection went away, closed by the server or cut by its session; `expected`: the pool was closing */
  onDown(conn: LoadConnection): boolean;
  /** the socket is closed, whatever happened before */
  onClosed(): void;
};

/** the id of the authentication a connection with a token sends after its setup */
const AUTH_ID = 0;
/** after a heartbeat deadline, how long frames already received get to be read before the heartbeat counts as missed */
const HEARTBEAT_RECHECK_MS = 20;
const ignore = (): void => {};
const why = (code: number, reason: string): string => `${code}${reason ? ` ${reason}` : ""}`;

/** Opens connection `index`; resolves once it is open or has failed (counted). */
export function openConnection(url: string, index: number, token: string | undefined, deps: ConnectionDeps): Promise<void> {
  const { errors, timeoutMs } = deps;
  return new Promise<void>((settled) => {
    let phase: "handshake" | "setup" | "open" | "over" = "handshake";
    let t0 = now();
    let timer = setTimeout(() => fail("handshake_timeout", `no handshake within ${timeoutMs} ms`), timeoutMs);
    let heartbeatMs = 0;
    let heartbeat: ReturnType<typeof setTimeout> | undefined;
    const keepAlives: Array<ReturnType<typeof setInterval>> = [];
    /** frames of the setup no `expect` has taken yet, and the expects still waiting */
    const early: Frame[] = [];
    const waiters: Array<{ match: (frame: Frame) => boolean; take: (frame: Frame) => void }> = [];
    let authAnswer: ((reply: Reply) => void) | undefined;

    const stopTimers = (): void => {
      clearTimeout(timer);
      clearTimeout(heartbeat);
      for (const k of keepAlives) clearInterval(k);
    };
    const fail = (errorClass: FaultClass, message: string): void => {
      if (phase === "open" || phase === "over") return;
      phase = "over";
      stopTimers();
      errors.add(errorClass, message);
      socket.close();
      settled();
    };
    const armHeartbeat = (): void => {
      clearTimeout(heartbeat);
      // the deadline passing is checked once more a moment later: a generator whose event loop was blocked
      // runs its timers before it reads the heartbeat waiting in the socket, and its own lag is not the server's
      const recheck = (): void => void (heartbeat = setTimeout(missed, HEARTBEAT_RECHECK_MS));
      if (heartbeatMs > 0 && phase === "open") heartbeat = setTimeout(recheck, heartbeatMs);
    };
    const missed = (): void => {
      if (phase !== "open") return;
      errors.add("heartbeat_missed", `no heartbeat from the server within ${heartbeatMs} ms: the connection was closed`);
      down();
      if (socket.terminate) socket.terminate();
      else socket.close(1000, "heartbeat missed");
    };
    /** an open connection is gone; counted as lost unless the pool was closing or its session cut it */
    const down = (): boolean => {
      if (phase !== "open") return false;
      phase = "over";
      stopTimers();
      conn.open = false;
      const expected = deps.onDown(conn);
      conn.onGone();
      return expected;
    };

    const link: Link = {
      index,
      ...(token === undefined ? {} : { token }),
      ...(deps.auth ? { auth: deps.auth } : {}),
      send: (frame) => socket.send(frame),
      heartbeatWithin(ms) {
        heartbeatMs = ms;
        armHeartbeat();
      },
      keepAlive(ms, frame) {
        if (phase !== "over") keepAlives.push(setInterval(() => socket.send(frame), ms));
      },
      lost(reason) {
        if (phase === "setup") return fail("setup_refused", `setup refused: ${reason}`);
        if (phase !== "open") return;
        if (!down()) errors.add("connection_lost", `the server ended a live connection: ${reason}`);
        socket.close(1000, "ended by the server");
      },
    };
    const session = deps.profile.open(link);
    const exchange: Exchange = {
      send: (frame) => socket.send(frame),
      expect: (match) =>
        new Promise<Frame>((take) => {
          const at = early.findIndex(match);
          if (at >= 0) take(early.splice(at, 1)[0]);
          else waiters.push({ match, take });
        }),
      request(frame, match) {
        socket.send(frame);
        return exchange.expect(match);
      },
    };

    const setUp = async (): Promise<void> => {
      await session.setup?.(exchange);
      if (token === undefined || !session.authenticate || phase !== "setup") return;
      const reply = await new Promise<Reply>((answer) => {
        authAnswer = answer;
        socket.send(session.authenticate!(AUTH_ID, token));
      });
      if (reply.op !== "ack" || reply.id !== AUTH_ID || !reply.ok) {
        throw new Error(`authentication refused: ${JSON.stringify(reply).slice(0, 120)}`);
      }
    };
    const live = (): void => {
      if (phase !== "setup") return;
      clearTimeout(timer);
      if (deps.profile.setup || (token !== undefined && session.authenticate)) deps.setups.record(msToNs(now() - t0));
      phase = "open";
      conn.open = true;
      if (early.length > 0) errors.add("unsolicited", `${early.length} frames during the setup that it did not wait for`, early.length);
      early.length = 0;
      deps.onLive(conn);
      armHeartbeat();
      settled();
    };
    /** a frame before the connection is open: an expect's, the authentication's answer, a heartbeat, or kept for a later expect */
    const duringSetup = (frame: Frame): void => {
      const at = waiters.findIndex((w) => w.match(frame));
      if (at >= 0) return waiters.splice(at, 1)[0].take(frame);
      const all = session.decode(frame);
      // of a frame that carried several messages, its first reply; a frame with none (heartbeats, part of one) waits for nothing
      const decoded = Array.isArray(all) ? (all as readonly Decoded[]).find((d) => typeof d === "object") : (all as Decoded);
      if (decoded === "heartbeat" || (Array.isArray(all) && decoded === undefined)) return;
      // the first reply after the authentication answers it: anything but an ok ack refuses it
      if (authAnswer && typeof decoded === "object") return authAnswer(decoded);
      early.push(frame);
    };

    /** one decoded message of an open connection: a reply for the suite, a heartbeat, or a fault counted */
    const take = (decoded: Decoded, data: Frame): void => {
      if (decoded === undefined) {
        const what = typeof data === "string" ? data.slice(0, 80) : `${data.length} binary bytes`;
        errors.add("bad_frame", `undecodable frame from server: ${what}`);
      } else if (decoded === "heartbeat") armHeartbeat();
      else if (decoded === "unmatched") {
        errors.add("unsolicited", `a reply that matches no request waiting: ${String(data).slice(0, 80)}`);
      } else if (decoded !== "control") {
        // a reply a suite cannot use (garbage from a broken server) is counted, never thrown into the socket's event loop
        try {
          conn.onReply(decoded, now());
        } catch (error) {
          errors.add("bad_reply", `unusable reply ${String(data).slice(0, 80)}: ${(error as Error).message}`);
        }
      }
    };

    const conn: LoadConnection = {
      index,
      open: false,
      session,
      onReply: ignore,
      onGone: ignore,
      socket: deps.runtime.connect(
        url,
        {
          onOpen() {
            if (phase !== "handshake") return;
            deps.handshakes.record(msToNs(now() - t0));
            clearTimeout(timer);
            phase = "setup";
            t0 = now();
            timer = setTimeout(() => fail("setup_timeout", `no answer to the connection's setup within ${timeoutMs} ms`), timeoutMs);
            setUp().then(live, (error: unknown) => fail("setup_refused", `setup refused: ${(error as Error)?.message ?? String(error)}`));
          },
          onMessage(data) {
            if (phase === "setup") return duringSetup(data);
            if (phase !== "open") return;
            const taken = conn.onFrame?.(data, now());
            if (taken) return void (taken === "heartbeat" && armHeartbeat());
            const decoded = session.decode(data);
            if (!Array.isArray(decoded)) return take(decoded as Decoded, data);
            // a frame that carried several messages (MQTT packets need not align with frames), each in order
            for (const one of decoded as readonly Decoded[]) if (phase === "open") take(one, data);
          },
          onError(error) {
            if (phase === "handshake") fail("connect_failed", error.message || "connection failed");
            else if (phase === "setup") fail("socket_error", `during setup: ${error.message || "socket error"}`);
            else if (phase === "open") errors.add("socket_error", error.message || "socket error");
          },
          onClose(code, reason) {
            if (phase === "handshake") fail("connect_failed", `closed during handshake (${why(code, reason)})`);
            // a close frame during setup is the server's refusal; a socket cut with none (1006) is a lost connection
            else if (phase === "setup" && code === 1006) fail("connection_lost", `cut during setup (${why(code, reason)})`);
            else if (phase === "setup") fail("setup_refused", `closed during setup (${why(code, reason)})`);
            else if (phase === "open" && !down()) {
              errors.add("connection_lost", `the server closed a live connection (${why(code, reason)})`);
            }
            stopTimers();
            deps.onClosed();
          },
        },
        deps.connectOptions,
      ),
    };
    const socket = conn.socket;
  });
}
