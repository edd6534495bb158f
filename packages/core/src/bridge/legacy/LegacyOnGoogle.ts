/**
 * The legacy Fitbit Web API answered from the Google Health API v4: a `FitbitHttp` service whose
 * calls (`GET /activities/steps/date/today/1w.json`, …) are translated to Google Health calls
 * and answered in the legacy JSON shapes (`Routes` lists every supported path). Fitbit paths
 * without a translation answer 501 with a Fitbit-style `errors` array naming the closest Google
 * Health method; paths Fitbit does not have answer 404 `not_found`, as Fitbit does, with "did you
 * mean …?" when a supported path is a few edits away; Google's errors come back as Fitbit's (`expired_token`, `insufficient_scope`, …).
 * Fitbit's OAuth scopes map onto Google's (`googleScopes`). Provide `layer` over
 * `GoogleHealthHttp` and every `FitbitResources` program runs on Google Health.
 *
 * @since 0.1.0
 */
import * as Cache from "effect/Cache"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as ErrorDecoder from "../../internal/errorDecoder.js"
import * as Errors from "../../Errors.js"
import * as FitbitConfig from "../../fitbit/FitbitConfig.js"
import * as FitbitHttp from "../../fitbit/FitbitHttp.js"
import * as FormBody from "../../internal/formBody.js"
import * as GoogleAuth from "../../google/GoogleAuth.js"
import * as GoogleHealthHttp from "../../google/GoogleHealthHttp.js"
import * as GoogleUsers from "../../google/resources/GoogleUsers.js"
import * as Url from "../../internal/url.js"
import { fitbitError, isAnswered, type LegacyAnswer, type LegacyCall, LegacyRefusal, offsetOf } from "./Context.js"
import * as Routes from "./Routes.js"
import type * as HttpExchange from "../../HttpExchange.js"

/**
 * Fitbit's OAuth scopes and the Google Health scopes that serve the same data (Fitbit scopes
 * grant reading and writing: the full Google scopes; ECG and IRN exist read-only).
 *
 * @since 0.1.0
 * @category authorization
 */
export const SCOPE_MAP: Readonly<Record<string, ReadonlyArray<GoogleAuth.ScopeName>>> = {
  activity: ["activity_and_fitness"],
  cardio_fitness: ["activity_and_fitness"],
  heartrate: ["health_metrics_and_measurements"],
  weight: ["health_metrics_and_measurements"],
  oxygen_saturation: ["health_metrics_and_measurements"],
  respiratory_rate: ["health_metrics_and_measurements"],
  temperature: ["health_metrics_and_measurements"],
  electrocardiogram: ["ecg.readonly"],
  irregular_rhythm_notifications: ["irn.readonly"],
  location: ["location"],
  nutrition: ["nutrition"],
  profile: ["profile"],
  settings: ["settings"],
  sleep: ["sleep"],
  social: []
}

/**
 * The Google Health scope URLs for Fitbit scopes (space-separated or a list); unknown names
 * fail with `InvalidInput`. `profile` and `settings` are always added: the translation reads
 * the user's time zone and identity.
 *
 * @since 0.1.0
 * @category authorization
 */
export const googleScopes = (scope: string | ReadonlyArray<string>): Effect.Effect<Array<string>, Errors.InvalidInput> => {
  const names = (typeof scope === "string" ? scope.split(/[\s,]+/) : scope).filter((s) => s !== "")
  const out = new Set<string>(["profile.readonly", "settings.readonly"].map((s) => GoogleAuth.scope(s as GoogleAuth.ScopeName)))
  for (const name of names) {
    const mapped = SCOPE_MAP[name]
    if (mapped === undefined) return Effect.fail(new Errors.InvalidInput({ field: "scope", reason: `${name} is not a Fitbit scope` }))
    for (const m of mapped) out.add(GoogleAuth.scope(m))
  }
  return Effect.succeed([...out])
}

const header = (headers: Readonly<Record<string, string | undefined>> | undefined, name: string) => {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value
  return undefined
}

const bodyFields = (body: FitbitHttp.Body | undefined): Record<string, string> => {
  if (body === undefined) return {}
  if (typeof body === "string") return Object.fromEntries(new URLSearchParams(body))
  return Object.fromEntries(new URLSearchParams(FormBody.encode(body)))
}

/** Google's failures as Fitbit's error answers. */
const legacyFailure = (failure: Errors.RequestFailure): LegacyAnswer | undefined => {
  const message = "errors" in failure ? failure.errors.map((e) => e.message).join(" ") || failure.message : failure.message
  switch (failure._tag) {
    case "ExpiredToken":
      return fitbitError(401, "expired_token", `Access token expired (Google Health): ${message}`)
    case "InvalidToken":
    case "InvalidClient":
    case "InvalidGrant":
      return fitbitError(401, "invalid_token", `Access token invalid (Google Health): ${message}`)
    case "InsufficientScope":
      return fitbitError(403, "insufficient_scope", `This application does not have permission (Google Health): ${message}`)
    case "NotFound":
      return fitbitError(404, "not_found", message)
    case "ValidationFailed":
      return fitbitError(400, "validation", message)
    case "Conflict":
      return fitbitError(409, "conflict", message)
    case "RateLimited":
      return fitbitError(429, "request", message)
    case "SetupRequired":
      // Google's own reason as the errorType, so the Fitbit decoder reads the same SetupRequired back.
      return failure.reason === "authorization_missing"
        ? fitbitError(401, "invalid_request", failure.message)
        : fitbitError(failure.status, failure.reason === "api_not_enabled" ? "SERVICE_DISABLED" : "ACCOUNT_NOT_LINKED", failure.message)
    case "ServerError":
    case "ApiError":
    case "LegacyApiRetired":
      return fitbitError(failure.status >= 500 ? failure.status : 502, "system", message)
    case "DecodeError":
      return fitbitError(502, "system", `Google Health answered something the translation cannot read: ${failure.reason}`)
    default:
      return undefined
  }
}


/**
 * How long a grant's settings (the UTC offset, the time zone) and identity are kept: 5 minutes. A
 * legacy call then skips those reads when the same grant called within that time; a time zone
 * changed in the app shows within it.
 *
 * @since 0.1.0
 * @category constants
 */
export const GRANT_CACHE_TTL_MILLIS = 5 * 60 * 1000

/**
 * What a legacy call reads about its user, kept per grant (by access token) for
 * {@link GRANT_CACHE_TTL_MILLIS}, at most 10,000 grants: two Effect `Cache`s, one lookup per
 * grant however many calls ask at once. A failed read is not kept.
 *
 * @since 0.1.0
 * @category models
 */
export interface GrantCache {
  /** The user's settings (their UTC offset). */
  readonly settings: (token: string) => Effect.Effect<GoogleUsers.Settings, Errors.RequestFailure>
  /** The user's identity (the legacy Fitbit user id). */
  readonly identity: (token: string) => Effect.Effect<GoogleUsers.Identity, Errors.RequestFailure>
}

/**
 * Makes a {@link GrantCache} over the `GoogleHealthHttp` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeGrantCache = (
  options: { readonly ttl?: Duration.DurationInput | undefined; readonly capacity?: number | undefined } = {}
): Effect.Effect<GrantCache, never, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.gen(function*() {
    const ttl = Duration.decode(options.ttl ?? Duration.millis(GRANT_CACHE_TTL_MILLIS))
    const timeToLive = (exit: Exit.Exit<unknown, unknown>) => (Exit.isSuccess(exit) ? ttl : Duration.zero)
    const capacity = options.capacity ?? 10_000
    const settings = yield* Cache.makeWith({ capacity, timeToLive, lookup: (token: string) => GoogleUsers.getSettings(token) })
    const identity = yield* Cache.makeWith({ capacity, timeToLive, lookup: (token: string) => GoogleUsers.getIdentity(token) })
    return { settings: (token) => settings.get(token), identity: (token) => identity.get(token) }
  })

/**
 * The 404 of a path the Fitbit Web API does not have, as Fitbit words it, with the supported path
 * closest to it when one is a few edits away ("did you mean …?").
 */
const notFound = (method: string, version: string, user: string | false, path: string): LegacyAnswer => {
  const near = Routes.suggest(method, path)
  const prefix = (v: string) => `/${v}${user === false ? "" : `/user/${user}`}`
  const suggestion = near === undefined
    ? ""
    : ` Did you mean ${method} ${prefix(near.route.versions === undefined || near.route.versions.includes(version) ? version : near.route.versions[0]!)}${near.path}?`
  return fitbitError(404, "not_found", `The API you are requesting could not be found: ${method} ${prefix(version)}${path}.${suggestion}`)
}

/**
 * Answers one legacy call from Google Health: the status and legacy JSON body of the Fitbit answer.
 *
 * @since 0.1.0
 * @category routes
 */
export const answer = (
  request: FitbitHttp.FitbitRequest,
  defaultVersion = "1.2",
  grants?: GrantCache
): Effect.Effect<LegacyAnswer & { readonly retryAfterSeconds?: number }, Errors.ExecuteFailure, GoogleHealthHttp.GoogleHealthHttp> =>
  Effect.gen(function*() {
    const token = Url.validateToken(request.accessToken)
    if (token._tag === "Left") return yield* Effect.fail(token.left)
    const raw = typeof request.path === "string" ? request.path : ""
    const [pathPart, queryPart] = raw.split("?", 2) as [string, string | undefined]
    const checked = Url.validatePath(pathPart.startsWith("/") ? pathPart : `/${pathPart}`)
    if (checked._tag === "Left") return yield* Effect.fail(checked.left)
    const path = checked.right
    // Extra headers are not forwarded to Google, but they are checked as on the Fitbit backend.
    const headers = Url.validateHeaders(request.headers)
    if (headers._tag === "Left") return yield* Effect.fail(headers.left)
    const body = yield* Effect.try({
      try: () => bodyFields(request.body),
      catch: (error) => new Errors.InvalidInput({ field: "body", reason: `cannot be serialised: ${FormBody.serialiseFailure(error)}` })
    })
    const version = request.apiVersion ?? defaultVersion
    const user = request.userId === undefined || request.userId === null ? "-" : request.userId
    const display = `${request.method} /${version}${user === false ? "" : `/user/${user}`}${path}`
    if (user !== "-" && user !== false) {
      return fitbitError(501, "not_supported", `${display}: Google Health answers for the token's own user only; use "-" (the closest Google Health method is users.getIdentity).`)
    }
    const found = Routes.match(request.method, path)
    if (found === undefined && !Routes.isFitbitPath(path)) return notFound(request.method, version, user, path)
    if (found === undefined || (found.route.versions !== undefined && !found.route.versions.includes(version))) {
      const closest = Routes.closestGoogleMethod(path)
      return fitbitError(
        501,
        "not_supported",
        `${display} is not translated to the Google Health API${closest === undefined ? " (Google Health has no such data)." : `; the closest Google Health method is ${closest}.`}`
      )
    }
    // Read at most once per call, and through the grant cache when there is one.
    const settings = yield* Effect.cached(grants === undefined ? GoogleUsers.getSettings(token.right) : grants.settings(token.right))
    const identity = yield* Effect.cached(grants === undefined ? GoogleUsers.getIdentity(token.right) : grants.identity(token.right))
    const call: LegacyCall = {
      method: request.method as LegacyCall["method"],
      token: Redacted.make(token.right),
      imperial: header(request.headers, "accept-language") === "en_US",
      version,
      query: Object.fromEntries(new URLSearchParams(queryPart ?? "")),
      body,
      params: found.params,
      offsetMillis: Effect.map(settings, offsetOf),
      settings,
      identity
    }
    return yield* found.route.handle(call).pipe(
      Effect.map((result): LegacyAnswer => (isAnswered(result) ? { status: result.status, body: result.body } : { status: 200, body: result })),
      Effect.catchAll((failure): Effect.Effect<LegacyAnswer & { readonly retryAfterSeconds?: number }, Errors.ExecuteFailure> => {
        if (failure instanceof LegacyRefusal) return Effect.succeed(failure.answer)
        if (failure._tag === "TransportError" || failure._tag === "TimeoutError" || failure._tag === "ResponseTooLarge" || failure._tag === "InvalidInput") {
          return Effect.fail(failure)
        }
        const mapped = legacyFailure(failure)
        if (mapped === undefined) return Effect.fail(new Errors.InvalidInput({ field: "path", reason: failure.message }))
        return Effect.succeed(failure._tag === "RateLimited" && failure.retryAfterSeconds !== undefined
          ? { ...mapped, retryAfterSeconds: failure.retryAfterSeconds }
          : mapped)
      })
    )
  })

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The API version of paths given without one (default `1.2`). */
  readonly apiVersion?: string | undefined
  /** The origin the answers' URLs name (default `https://api.fitbit.com`). */
  readonly apiBaseUrl?: string | undefined
}

/**
 * The `FitbitHttp` service over Google Health: `execute` answers every status, `request` fails
 * with the tagged error of a non-2xx answer (decoded from the Fitbit-style error body).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<FitbitHttp.FitbitHttpShape, never, GoogleHealthHttp.GoogleHealthHttp> => Effect.gen(function*() {
  const google = yield* GoogleHealthHttp.GoogleHealthHttp
  const version = options.apiVersion ?? "1.2"
  const base = options.apiBaseUrl ?? "https://api.fitbit.com"
  const grants = yield* makeGrantCache()
  const execute = (request: FitbitHttp.FitbitRequest) =>
    Effect.flatMap(
      Effect.provideService(answer(request, version, grants), GoogleHealthHttp.GoogleHealthHttp, google),
      (legacy) =>
        Effect.map(Clock.currentTimeMillis, (receivedAt): HttpExchange.ApiResponse => ({
          method: request.method,
          url: `${base}/${request.apiVersion ?? version}${request.userId === false ? "" : `/user/${request.userId ?? "-"}`}${String(request.path).split("?")[0]}`,
          status: legacy.status,
          headers: {
            ...(legacy.body === undefined ? {} : { "content-type": "application/json;charset=UTF-8" }),
            ...(legacy.retryAfterSeconds === undefined ? {} : { "retry-after": String(legacy.retryAfterSeconds) })
          },
          body: legacy.body,
          rateLimit: Option.none(),
          receivedAt
        }))
    )
  return {
    execute,
    request: (request) =>
      Effect.flatMap(execute(request), (response) =>
        response.status < 300
          ? Effect.succeed(response)
          : Effect.fail(ErrorDecoder.toApiFailure({ ...response, now: response.receivedAt })))
  }
})

/**
 * `FitbitHttp` answered from Google Health, with the default API version (`1.2`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<FitbitHttp.FitbitHttp, never, GoogleHealthHttp.GoogleHealthHttp> = Layer.effect(FitbitHttp.FitbitHttp, make())

/**
 * `FitbitHttp` answered from Google Health, with the API version and origin of a Fitbit
 * configuration (`FitbitConfig`'s `apiVersion`, `apiBaseUrl`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: Layer.Layer<FitbitHttp.FitbitHttp, never, GoogleHealthHttp.GoogleHealthHttp | FitbitConfig.FitbitConfig> =
  Layer.effect(
    FitbitHttp.FitbitHttp,
    Effect.flatMap(FitbitConfig.FitbitConfig, (config) => make({ apiVersion: config.apiVersion, apiBaseUrl: config.apiBaseUrl }))
  )
