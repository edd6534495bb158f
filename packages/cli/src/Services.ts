/**
 * The services a command runs on: the configured Google Health client (undici), the SQLite token
 * store at `$FITBIT_EFFECT_HOME/tokens.db` and the session over both. Each profile's grant is stored
 * under the profile's name (the session prefixes `google:`).
 *
 * @since 0.1.0
 */
import type { Errors, TokenStore } from "@fitbit-effect/core"
import { GoogleHealthSession } from "@fitbit-effect/core"
import { NodeGoogleHealth } from "@fitbit-effect/node"
import * as Sql from "@fitbit-effect/node/sql"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { CliFailure } from "./ExitCode.js"
import * as Home from "./Home.js"

/**
 * The client's layers (no token store): configuration, `GoogleHealthHttp`, `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const clientLayer = (client: Home.Client): Layer.Layer<NodeGoogleHealth.Services, Errors.InvalidInput> =>
  NodeGoogleHealth.layer({
    clientId: client.clientId,
    ...(client.clientSecret === undefined ? {} : { clientSecret: client.clientSecret }),
    ...(client.baseUrl === undefined ? {} : { baseUrl: client.baseUrl })
  })

/**
 * The session, the token store and the client.
 *
 * @since 0.1.0
 * @category layers
 */
export const sessionLayer = (
  client: Home.Client
): Layer.Layer<GoogleHealthSession.GoogleHealthSession | TokenStore.TokenStore | NodeGoogleHealth.Services, unknown> =>
  GoogleHealthSession.layer().pipe(
    Layer.provideMerge(Sql.layer({ sqlite: Home.tokensFile() })),
    Layer.provideMerge(clientLayer(client))
  )

/**
 * Runs an effect with the session of the configured client (`--base-url` given or not).
 *
 * @since 0.1.0
 * @category services
 */
export const withSession = <A, E, R>(
  baseUrl: string | undefined,
  f: (client: Home.Client) => Effect.Effect<A, E, R>
): Effect.Effect<
  A,
  E | unknown,
  Exclude<R, GoogleHealthSession.GoogleHealthSession | TokenStore.TokenStore | NodeGoogleHealth.Services>
> =>
  Effect.flatMap(Home.client(baseUrl), (client) =>
    Effect.provide(f(client), sessionLayer(client)))

/**
 * `withSession` for a command that sends a profile's token: fails first (exit 7) unless the client
 * sends to where that profile logged in (`Home.checkProfileOrigin`), so the token goes nowhere else.
 *
 * @since 0.1.0
 * @category services
 */
export const withProfileSession = <A, E, R>(
  baseUrl: string | undefined,
  profile: string,
  f: (client: Home.Client) => Effect.Effect<A, E, R>
): Effect.Effect<
  A,
  E | unknown,
  Exclude<R, GoogleHealthSession.GoogleHealthSession | TokenStore.TokenStore | NodeGoogleHealth.Services>
> =>
  withSession(baseUrl, (client) => Effect.zipRight(Home.checkProfileOrigin(profile, client), f(client)))

/**
 * Runs an effect with the configured client alone (no token store).
 *
 * @since 0.1.0
 * @category services
 */
export const withClient = <A, E, R>(
  baseUrl: string | undefined,
  f: (client: Home.Client) => Effect.Effect<A, E, R>
): Effect.Effect<A, E | CliFailure | Errors.InvalidInput, Exclude<R, NodeGoogleHealth.Services>> =>
  Effect.flatMap(Home.client(baseUrl), (client) =>
    Effect.provide(f(client), clientLayer(client)))

