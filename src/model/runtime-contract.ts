/**
 * The abilities the runtime-free core needs from a runtime, passed in as plain
 * interfaces. Each `src/adapters/<runtime>.ts` implements `Runtime`; nothing
 * else touches a runtime's socket API.
 */
import type * as v from "valibot";
import type { HubOptions } from "./hub-options.ts";
import type { MachineSchema } from "./result.ts";

/** The runtimes wsstress runs on, each with an adapter in `src/adapters/`. */
export const RUNTIME_NAMES = ["node", "deno", "bun"] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

export type ServeOptions = {
  /** loopback by default */
  host?: string;
  /** 0 (an ephemeral port) by default */
  port?: number;
  /** offer permessage-deflate where the runtime's server supports it */
  perMessageDeflate?: boolean;
  hub?: HubOptions;
};

export type ServerHandle = {
  /** ws://host:port/ */
  url: string;
  /** whether this server can negotiate permessage-deflate */
  perMessageDeflate: boolean;
  /** closes every socket and the listener; resolves when nothing is left open */
  stop(): Promise<void>;
};

/** A WebSocket message: text, or the bytes of a binary frame. */
export type Frame = string | Uint8Array;

export type ClientHandlers = {
  onOpen(): void;
  /** a text frame as a string, a binary one as its bytes */
  onMessage(data: Frame): void;
  onClose(code: number, reason: string): void;
  onError(error: Error): void;
};

export type ConnectOptions = {
  perMessageDeflate?: boolean;
  /** extra handshake headers (Authorization, Cookie, …) */
  headers?: Readonly<Record<string, string>>;
  /** subprotocols to offer, in order of preference */
  protocols?: readonly string[];
  /** PEM certificate(s) to trust for wss:// besides the system's */
  ca?: string;
};

export type ClientSocket = {
  /** a string goes as a text frame, bytes as a binary one */
  send(data: Frame): void;
  close(code?: number, reason?: string): void;
  /** bytes queued and not yet handed to the OS */
  readonly bufferedAmount: number;
  /** drops the connection without waiting for the close handshake (ws and Bun have it; Deno's WebSocket has none) */
  terminate?(): void;
  /** the Sec-WebSocket-Extensions the server accepted ("" when none) */
  readonly extensions: string;
  /** the subprotocol the server chose ("" when none) */
  readonly protocol: string;
};

export type Memory = { rssBytes: number; heapUsedBytes: number };

/** Where a raw TCP connection goes: `tls` for wss://, with a CA of the caller's besides the system's. */
export type RawConnectOptions = { host: string; port: number; tls?: boolean; ca?: string };

/** What a raw connection reports; none of them throws, and `onClose` comes exactly once. */
export type RawSocketHandlers = {
  onOpen(): void;
  onData(chunk: Uint8Array): void;
  /** the peer sent its FIN: it will send nothing more */
  onEnd(): void;
  /** the connection is gone; `error` when it broke (refused, reset) rather than closed */
  onClose(error?: Error): void;
};

/**
 * A TCP (or TLS) connection that writes exactly the bytes it is given, each
 * write its own segment (no Nagle): what the conformance cases speak
 * WebSocket over, frame by frame and chop by chop.
 */
export type RawSocket = {
  /** resolves once the OS has the bytes, or at once when the socket is gone */
  write(bytes: Uint8Array): Promise<void>;
  /** sends FIN after what was written */
  end(): void;
  /** drops the connection at once */
  destroy(): void;
};

export type Runtime = {
  name: RuntimeName;
  version: string;
  /** starts the reference server in this process */
  serve(options?: ServeOptions): Promise<ServerHandle>;
  /** opens one client WebSocket; errors arrive through the handlers, never thrown */
  connect(url: string, handlers: ClientHandlers, options?: ConnectOptions): ClientSocket;
  /** whether `connect` can negotiate permessage-deflate */
  clientPerMessageDeflate: boolean;
  /** opens one raw TCP or TLS connection; errors arrive through the handlers, never thrown */
  connectRaw(options: RawConnectOptions, handlers: RawSocketHandlers): RawSocket;
  memory(): Memory;
};

/** Counts the bytes of every connection made through `url` to the target. */
export type CountingProxy = {
  url: string;
  bytes(): { toServer: number; toClient: number };
  reset(): void;
  close(): Promise<void>;
};

/** A request to an HTTP server the host runs for us (the live dashboard): what its handler needs of it. */
export type HttpRequest = { method: string; path: string; host: string };

/** A whole reply, or a stream (server-sent events) the handler writes until it ends it, returning what to do when the client goes. */
export type HttpReply =
  | { status: number; type: string; body: string }
  | { stream(write: (chunk: string) => void, end: () => void): () => void };

export type HttpHandler = (request: HttpRequest) => HttpReply;

export type HttpServer = {
  /** `http://host:port/`, with the port the OS chose when 0 was asked for */
  url: string;
  /** ends every open stream and stops listening */
  close(): Promise<void>;
};

/** The machine a run or a matrix ran on, as results record it. */
export type Machine = v.InferOutput<typeof MachineSchema>;

/** The reference server running in a child process of the same runtime. */
export type ServerProcess = {
  url: string;
  runtime: string;
  perMessageDeflate: boolean;
  pid: number;
  stop(): Promise<void>;
};

/** A load-generator process of the same runtime, spoken to in JSON lines (`run/worker-messages.ts`). */
export type WorkerHandle = {
  pid: number;
  send(message: unknown): void;
  /** every message the worker sends; `exit` when it goes away */
  listen(onMessage: (message: unknown) => void, onExit: (why: string) => void): void;
  stop(): Promise<void>;
};
