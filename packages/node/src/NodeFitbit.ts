/**
 * Ready layers for Node: the Fitbit configuration, the data-API service (`FitbitHttp`) and this
 * package's lean undici `HttpClient` (`UndiciHttpClient`), provided together so an Effect program
 * needs one `Effect.provide`. Any other `HttpClient` layer plugs in through {@link layerWith}, e.g.
 * `@effect/platform-node`'s `NodeHttpClient.layerUndici` (install it yourself) or a test mock.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { FitbitConfig, FitbitHttp } from "@fitbit-effect/core/fitbit"
import type { Errors } from "@fitbit-effect/core/fitbit"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as ReadyLayers from "./internal/ReadyLayers.js"
import * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * What the ready layers provide: everything `FitbitAuth` and `FitbitHttp` programs need.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = FitbitConfig.FitbitConfig | FitbitHttp.FitbitHttp | HttpClient.HttpClient

/**
 * The lean undici client (`UndiciHttpClient.layer()`) without a timeout of its own, on its own
 * connection pool that is closed when the layer's scope ends. Programs bound each exchange with
 * their configured timeout (`HttpExchange.withTimeout`); {@link layerWith} gives the client the
 * configured timeout instead, which costs nothing per call.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient: Layer.Layer<UndiciHttpClient.Provides> = UndiciHttpClient.layer()

/**
 * Builds the services from a configuration layer and an `HttpClient` layer (the lean undici client
 * bounded by the configured timeout unless another is given, e.g. `MockHttpClient.make(...).layer`
 * in tests, which the pipeline bounds itself). Whatever else the
 * first layer provides (a `RetryPolicy`, a `RateLimitPolicy`) is seen by `FitbitHttp` and kept
 * in the output.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = <R extends FitbitConfig.FitbitConfig, E1, E2 = never>(
  config: Layer.Layer<R, E1>,
  httpClient?: Layer.Layer<HttpClient.HttpClient, E2> | undefined
): Layer.Layer<Services | R, E1 | E2> =>
  ReadyLayers.layerWith(FitbitHttp.layer, FitbitConfig.FitbitConfig, config, httpClient)

/**
 * The services from explicit options, on the undici `HttpClient`. Fails to build with
 * `InvalidInput` when an option is wrong (e.g. an http URL to a non-loopback host).
 *
 * @example
 * ```ts
 * const program = FitbitHttp.get("/profile.json", accessToken).pipe(
 *   Effect.provide(NodeFitbit.layer({ clientId: "23ABCD", clientSecret: Redacted.make(secret) }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: FitbitConfig.Options): Layer.Layer<Services, Errors.InvalidInput> =>
  layerWith(FitbitConfig.layer(options))

/**
 * The services from configuration (`FITBIT_CLIENT_ID`, `FITBIT_CLIENT_SECRET`, `FITBIT_BASE_URL`,
 * … read from the environment by default; see `FitbitConfig.config`), on the undici `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  source?: Config.Config<FitbitConfig.Options>
): Layer.Layer<Services, ConfigError.ConfigError | Errors.InvalidInput> =>
  layerWith(FitbitConfig.layerConfig(source))
