/**
 * What `NodeFitbit` and `NodeGoogleHealth` both build: a provider's HTTP service over its
 * configuration layer and an `HttpClient` layer (the lean undici client bounded by the configured
 * timeout unless another is given), everything the configuration layer provides kept in the output.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as UndiciHttpClient from "../UndiciHttpClient.js"

/**
 * The provider's service (`service`, which needs its configuration `C` and an `HttpClient`) over
 * `config` and `httpClient` (default: the lean client bounded by the configuration's timeout and body limit, `boundsOf`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = <S, C, R extends C, E1, E2 = never>(
  service: Layer.Layer<S, never, C | HttpClient.HttpClient>,
  boundsOf: Effect.Effect<{ readonly timeout: Duration.Duration; readonly maxBodyBytes: number }, never, C>,
  config: Layer.Layer<R, E1>,
  httpClient?: Layer.Layer<HttpClient.HttpClient, E2> | undefined
): Layer.Layer<S | HttpClient.HttpClient | C | R, E1 | E2> => {
  const client = httpClient ?? UndiciHttpClient.layerBoundedBy(boundsOf).pipe(Layer.provide(config))
  // Every requirement of `service` is met by the merged layer; TypeScript cannot see through
  // `Exclude` over the generic `R`.
  return service.pipe(
    Layer.provideMerge(Layer.merge(config, client as Layer.Layer<HttpClient.HttpClient, E1 | E2>))
  ) as Layer.Layer<S | HttpClient.HttpClient | C | R, E1 | E2>
}
