/**
 * @module
 * Protocol profiles: how the suites speak to a server. `wsstress` (the
 * reference protocol, every suite), `echo` (any echo server: connection,
 * message, compression), or your own with `defineProtocol`.
 */
export { AUTH_ROLES, type AuthRole, missing, type Operation, type Profile } from "./profile.ts";
export { defineProtocol, type ProtocolDefinition } from "./define.ts";
export { BUILTIN_PROFILE_NAMES, BUILTIN_PROFILES, builtinProfile, isProfile } from "./builtin.ts";
export { echoProfile } from "./echo.ts";
export { wsstressProfile } from "./wsstress.ts";
