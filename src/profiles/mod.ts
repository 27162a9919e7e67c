/**
 * @module
 * Protocol profiles: how the suites speak to a server. `wsstress` (the
 * reference protocol, every suite), `echo` (any echo server: connection,
 * message, compression), or your own with `defineProtocol`.
 */
export {
  AUTH_ROLES,
  type AuthRole,
  type Decoded,
  type DeliveryClass,
  type Exchange,
  type Frame,
  type FrameDecoded,
  type Link,
  missing,
  type Operation,
  type Profile,
  type Session,
  type Signal,
} from "./profile.ts";
export { defineProtocol } from "./define.ts";
export type {
  Answer,
  AuthFields,
  ChannelFields,
  EchoFields,
  ProtocolDefinition,
  PublishFields,
  RequestSpec,
  SetupConnection,
} from "./protocol-definition.ts";
export { BUILTIN_PROFILE_NAMES, BUILTIN_PROFILES, builtinProfile, isProfile } from "./builtin.ts";
export { echoProfile } from "./echo.ts";
export { graphqlWsProfile } from "./graphql-ws.ts";
export type { GraphqlWsOptions } from "./graphql-ws-options.ts";
export { mqttProfile } from "./mqtt.ts";
export type { MqttOptions } from "./mqtt-options.ts";
export { wsstressProfile } from "./wsstress.ts";
