/**
 * The Socket.IO profile's options, and the URL a target becomes. Options
 * travel in the profile's name, as a query (`socketio?namespace=/chat&echo=ping`),
 * so `--profile`, `.profile()` and every worker process name the same profile
 * with one string.
 *
 * The target is taken as socket.io-client takes a URL, with one difference:
 * a target without a path gets the default `/socket.io/` path; a target with
 * a path keeps it as the Engine.IO path (the server's `path` option), and the
 * namespace is the `namespace` option (socket.io-client would read the path
 * as the namespace). The Engine.IO query, `EIO=4&transport=websocket`, is
 * added to whatever query the target has.
 */
import { inputError } from "../model/input-error.ts";

export type SocketIoOptions = {
  /** the namespace every connection connects (default "/") */
  namespace?: string;
  /** the Engine.IO path, when the target gives none (default "/socket.io/") */
  path?: string;
  /** the event acknowledged with its data (message, compression) */
  echo?: string;
  /** the events that join and leave a room, acknowledged (subscription, broadcast, permission) */
  join?: string;
  leave?: string;
  /** the event that sends to a room's members, acknowledged */
  publish?: string;
  /** the event a room's members receive */
  message?: string;
  /** the field of the CONNECT's `auth` that carries a role's token */
  tokenField?: string;
};

export const SOCKETIO_DEFAULTS: Required<SocketIoOptions> = {
  namespace: "/",
  path: "/socket.io/",
  echo: "echo",
  join: "join",
  leave: "leave",
  publish: "publish",
  message: "message",
  tokenField: "token",
};

const OPTION_NAMES = Object.keys(SOCKETIO_DEFAULTS) as Array<keyof SocketIoOptions>;

/** The options a `socketio?…` name carries; a RangeError (worded for `subject`) for an unknown or malformed one. */
export function socketioOptionsOf(query: string, subject = "profile"): SocketIoOptions {
  const options: SocketIoOptions = {};
  for (const [name, value] of new URLSearchParams(query)) {
    if (!(OPTION_NAMES as string[]).includes(name)) {
      throw inputError(subject, `the socketio profile has no option "${name}"`, { names: OPTION_NAMES, given: name });
    }
    const key = name as keyof SocketIoOptions;
    if (value === "") throw inputError(subject, `socketio option ${key} is empty`, "a non-empty value, e.g. socketio?namespace=/chat");
    if ((key === "namespace" || key === "path") && !value.startsWith("/")) {
      throw inputError(
        subject,
        `socketio option ${key} "${value}" does not start with /`,
        `a ${key} such as /${key === "path" ? "socket.io/" : "chat"}`,
      );
    }
    if (key === "namespace" && value.includes(",")) {
      throw inputError(subject, `namespace "${value}" holds a comma`, "a namespace without commas");
    }
    options[key] = value;
  }
  return options;
}

/** The Engine.IO URL for `target`: the default path unless the target gives one, and the Engine.IO query. */
export function engineUrl(target: string, path = SOCKETIO_DEFAULTS.path): string {
  const u = new URL(target);
  if (u.pathname === "" || u.pathname === "/") u.pathname = path;
  u.searchParams.set("EIO", "4");
  u.searchParams.set("transport", "websocket");
  return u.href;
}
