/**
 * Ready layers for Node, Google Health side: the Google Health configuration, the data-API
 * service (`GoogleHealthHttp`) and this package's lean undici `HttpClient`, provided together so
 * an Effect program needs one `Effect.provide` (the counterpart of `NodeFitbit`). Any other
 * `HttpClient` layer plugs in through {@link layerWith}, e.g. a test mock.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { GoogleHealthConfig, GoogleHealthHttp } from "@fitbit-effect/core/google"
import type { Errors } from "@fitbit-effect/core/google"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as ReadyLayers from "./internal/ReadyLayers.js"

/**
 * What the layers provide: everything the Google Health programs of core need.
 *
 * @since 0.1.0
 * @category models
 */
export type Services = GoogleHealthConfig.GoogleHealthConfig | GoogleHealthHttp.GoogleHealthHttp | HttpClient.HttpClient

/**
 * `GoogleHealthHttp` over a configuration layer and an `HttpClient` layer (default: the undici one,
 * bounded by the configured timeout).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = <R extends GoogleHealthConfig.GoogleHealthConfig, E1, E2 = never>(
  config: Layer.Layer<R, E1>,
  httpClient?: Layer.Layer<HttpClient.HttpClient, E2> | undefined
): Layer.Layer<Services | R, E1 | E2> =>
  ReadyLayers.layerWith(GoogleHealthHttp.layer, GoogleHealthConfig.GoogleHealthConfig, config, httpClient)

/**
 * Everything from explicit options: `NodeGoogleHealth.layer({ clientId, clientSecret })`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: GoogleHealthConfig.Options): Layer.Layer<Services, Errors.InvalidInput> =>
  layerWith(GoogleHealthConfig.layer(options))

/**
 * Everything from configuration (`GOOGLE_HEALTH_CLIENT_ID`, `GOOGLE_HEALTH_CLIENT_SECRET`, …; the
 * environment by default).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  source?: Config.Config<GoogleHealthConfig.Options>
): Layer.Layer<Services, ConfigError.ConfigError | Errors.InvalidInput> =>
  layerWith(GoogleHealthConfig.layerConfig(source))
