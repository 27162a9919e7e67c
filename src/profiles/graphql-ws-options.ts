/**
 * The graphql-ws profile's options: the three operations the suites send and
 * the `connection_init` field that carries a role's token. Each document
 * takes its input through fixed variables: the echo query `$message`, the
 * subscription `$channel`, the publish mutation `$channel` and `$message`.
 * A result is read from its data whatever the fields are called: the first
 * string (the echo, a delivery's message) or number (a publish's recipients)
 * in it, so `{ channel(name: $channel) { message } }` works as well as the
 * default schema's plain strings.
 *
 * The default schema, which `examples/servers/graphql-ws.ts` serves:
 *
 *     type Query { echo(message: String!): String! }
 *     type Mutation { publish(channel: String!, message: String!): Int! }   # the recipients
 *     type Subscription { channel(name: String!): String! }                 # "" first, as it starts listening
 */
import { type OptionSpec, readProfileOptions } from "./profile-options.ts";

export type GraphqlWsOptions = {
  /** message, compression: a query taking `$message`, whose result gives it back */
  echo: string;
  /** subscription, broadcast, permission: a subscription taking `$channel`, yielding once as it starts, then each message */
  subscribe: string;
  /** broadcast, permission: a mutation taking `$channel` and `$message`, whose result may be the recipients */
  publish: string;
  /** the `connection_init` payload field a role's token goes in */
  tokenField: string;
};

export const GRAPHQL_WS_DEFAULTS: GraphqlWsOptions = {
  echo: "query Echo($message: String!) { echo(message: $message) }",
  subscribe: "subscription Channel($channel: String!) { channel(name: $channel) }",
  publish: "mutation Publish($channel: String!, $message: String!) { publish(channel: $channel, message: $message) }",
  tokenField: "token",
};

/** a document must start with its operation type and use the variables the profile gives it */
const document = (keyword: string, variables: readonly string[]) => (value: string): string | undefined => {
  if (!value.trimStart().startsWith(keyword)) return `is not a ${keyword} (it must start with "${keyword}")`;
  const unused = variables.filter((v) => !new RegExp(`\\$${v}\\b`).test(value));
  return unused.length > 0 ? `does not take ${unused.map((v) => `$${v}`).join(", ")}` : undefined;
};

const SPECS = {
  echo: { default: GRAPHQL_WS_DEFAULTS.echo, check: document("query", ["message"]) },
  subscribe: { default: GRAPHQL_WS_DEFAULTS.subscribe, check: document("subscription", ["channel"]) },
  publish: { default: GRAPHQL_WS_DEFAULTS.publish, check: document("mutation", ["channel", "message"]) },
  tokenField: { default: GRAPHQL_WS_DEFAULTS.tokenField, check: (v: string) => (/^\w+$/.test(v) ? undefined : "is not a field name") },
} satisfies Record<keyof GraphqlWsOptions, OptionSpec>;

/** The options a `graphql-ws?…` name carries; a RangeError (worded for `subject`) for an unknown or bad one. */
export function graphqlWsOptionsOf(query: string, subject = "profile"): GraphqlWsOptions {
  return readProfileOptions("graphql-ws", query, SPECS, subject);
}
