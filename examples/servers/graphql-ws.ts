// A GraphQL over WebSocket server: the real graphql-ws (graphql-transport-ws) on the ws package, with graphql's schema.
// It serves the schema the graphql-ws profile asks by default:
//   type Query { echo(message: String!): String! }
//   type Mutation { publish(channel: String!, message: String!): Int! }    # how many subscribers got it
//   type Subscription { channel(name: String!): String! }                  # "" first, as it starts listening
// connection_init's payload { token } gives the role (none: guest; an unknown token is refused, 4403), and the roles
// follow wsstress's reference policy: guests subscribe to public.*, subscribers to news.* too, publishers also publish
// there, admins do anything. A subscription refused is an `error`; a publish refused, a result with errors.
// Every PING_MS (default 10 s) it pings each connection, and closes one that did not answer the last ping (4408).
// Prints its URL; PORT picks the port (8085 by default).
import process from "node:process";
import { buildSchema, GraphQLError, parse, type ValueNode, visit } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { type WebSocket, WebSocketServer } from "ws";
import { may as mayOn, type Role, roleOf } from "./reference-roles.ts";

/** may `role` do `action` on `channel` (`news.sports`: its first part is `news`) */
const may = (role: Role, action: "sub" | "pub", channel: string): boolean => mayOn(role, action, channel.split(".")[0]);

export type GraphqlWsServerOptions = {
  port?: number;
  /** the server's graphql-transport-ws ping, answered or the connection is closed; 0: none */
  pingMs?: number;
  /** faults for wsstress's own tests: end a channel's first subscription after this many messages; let guests into private.* */
  faults?: { endSubscriptionAfter?: number; guestsIntoPrivate?: boolean };
};

export async function startGraphqlWsServer(options: GraphqlWsServerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const faults = options.faults ?? {};
  const listeners = new Map<string, Set<(message: string) => void>>();

  /** a channel's messages as an async iterator that yields "" first; its return() stops listening at once */
  function listen(channel: string): AsyncIterableIterator<{ channel: string }> {
    const queue = [""];
    let wake: ((r: IteratorResult<{ channel: string }>) => void) | undefined;
    let done = false;
    let delivered = 0;
    const set = listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!;
    const ends = faults.endSubscriptionAfter !== undefined && set.size === 0;
    const stop = (): void => {
      done = true;
      set.delete(push);
      wake?.({ value: undefined, done: true });
      wake = undefined;
    };
    const push = (message: string): void => {
      if (ends && delivered++ === faults.endSubscriptionAfter) return stop();
      if (!wake) return void queue.push(message);
      const take = wake;
      wake = undefined;
      take({ value: { channel: message }, done: false });
    };
    set.add(push);
    return {
      next: () =>
        queue.length > 0
          ? Promise.resolve({ value: { channel: queue.shift()! }, done: false })
          : done
          ? Promise.resolve({ value: undefined, done: true })
          : new Promise((resolve) => (wake = resolve)),
      return: () => (stop(), Promise.resolve({ value: undefined, done: true })),
      throw: (error) => (stop(), Promise.reject(error)),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  const schema = buildSchema(`
    type Query { echo(message: String!): String! }
    type Mutation { publish(channel: String!, message: String!): Int! }
    type Subscription { channel(name: String!): String! }
  `);
  type Context = { role: Role };
  const roots = {
    query: { echo: ({ message }: { message: string }) => message },
    mutation: {
      publish({ channel, message }: { channel: string; message: string }, context: Context) {
        if (!may(context.role, "pub", channel)) throw new GraphQLError(`forbidden: a ${context.role} may not publish to ${channel}`);
        const set = listeners.get(channel) ?? new Set();
        for (const push of [...set]) push(message);
        return set.size;
      },
    },
    subscription: { channel: ({ name }: { name: string }) => listen(name) },
  };

  const roles = new WeakMap<object, Role>();
  const answered = new WeakMap<WebSocket, boolean>();
  const wss = new WebSocketServer({ host: "127.0.0.1", port: options.port ?? 8085, perMessageDeflate: true });
  useServer<{ token?: string }, { socket: WebSocket }>({
    schema,
    roots,
    context: (ctx) => ({ role: roles.get(ctx.extra.socket) ?? "guest" }),
    onConnect(ctx) {
      const role = roleOf(ctx.connectionParams?.token);
      if (!role) return false;
      roles.set(ctx.extra.socket, role);
      answered.set(ctx.extra.socket, true);
      return true;
    },
    onPong: (ctx) => void answered.set(ctx.extra.socket, true),
    onSubscribe(ctx, _id, payload) {
      // a subscription the role may not have is refused before it starts: an `error` message
      const role = roles.get(ctx.extra.socket) ?? "guest";
      const channel = subscribedChannel(payload.query, payload.variables ?? {});
      if (channel === undefined) return;
      const letIn = faults.guestsIntoPrivate && role === "guest" && channel.startsWith("private.");
      if (!letIn && !may(role, "sub", channel)) return [new GraphQLError(`forbidden: a ${role} may not subscribe to ${channel}`)];
    },
  }, wss);

  const pingMs = options.pingMs ?? 10_000;
  const pinger = pingMs > 0
    ? setInterval(() => {
      for (const socket of wss.clients) {
        if (!roles.has(socket)) continue;
        if (answered.get(socket) === false) socket.close(4408, "no pong to the last ping");
        else (answered.set(socket, false), socket.send('{"type":"ping"}'));
      }
    }, pingMs)
    : undefined;

  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: () => {
      clearInterval(pinger);
      for (const socket of wss.clients) socket.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The channel a subscription document's `name` argument asks for (a literal or a variable), if it is a subscription. */
function subscribedChannel(query: string, variables: Record<string, unknown>): string | undefined {
  let channel: string | undefined;
  const valueOf = (
    node: ValueNode,
  ): unknown => (node.kind === "Variable" ? variables[node.name.value] : node.kind === "StringValue" ? node.value : undefined);
  let inSubscription = false;
  let document;
  try {
    document = parse(query);
  } catch {
    return undefined; // graphql-ws answers a document that does not parse with its own error
  }
  visit(document, {
    OperationDefinition: (op) => void (inSubscription = op.operation === "subscription"),
    Argument(arg) {
      if (inSubscription && arg.name.value === "name" && channel === undefined) channel = String(valueOf(arg.value));
    },
  });
  return channel;
}

if (import.meta.main) {
  const server = await startGraphqlWsServer({ port: Number(process.env.PORT ?? 8085), pingMs: Number(process.env.PING_MS ?? 10_000) });
  console.log(server.url);
}
