/**
 * The in-process control handle of a running emulator, and the same controls over HTTP
 * under `/__emulator/…` for tests in other processes.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import type * as Counters from "./Counters.js"
import { type ConsentMode, EmulatorState, type State } from "./EmulatorState.js"
import { CONTROL_PREFIX } from "./FaultMiddleware.js"
import type * as Faults from "./Faults.js"
import * as FitbitScopes from "./fitbit/Scopes.js"
import type * as GoogleDeliveries from "./google/Deliveries.js"
import * as GoogleNotifications from "./google/Notifications.js"
import * as GoogleOAuth from "./google/OAuth.js"
import * as GoogleState from "./google/GoogleState.js"
import * as Http from "./Http.js"
import * as OAuthServer from "./OAuthServer.js"
import * as SharedLinks from "./google/SharedLinks.js"
import * as Registry from "./Registry.js"
import * as Webhooks from "./fitbit/Webhooks.js"

/**
 * Tokens minted by {@link EmulatorHandle.grantTokens}.
 *
 * @since 0.1.0
 * @category models
 */
export type MintedTokens = OAuthServer.MintedTokens

/**
 * A running emulator's controls.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorHandle {
  /** E.g. `http://127.0.0.1:41234`: OAuth and API hosts are all under it. */
  readonly baseUrl: string
  /** The default confidential app (HTTP Basic). A public PKCE app is registered too: {@link publicApp}. */
  readonly defaultApp: { readonly clientId: string; readonly clientSecret: string; readonly redirectUri: string }
  /** The default public app (no secret, PKCE required). */
  readonly publicApp: { readonly clientId: string; readonly redirectUri: string }
  readonly defaultUser: Registry.User
  /** The seed of the generated data. */
  readonly seed: string
  /** The shared state, for route groups and advanced tests. */
  readonly state: State
  readonly now: () => number
  readonly setNow: (epochMillis: number) => void
  readonly advance: (millis: number) => void
  /** Mints a grant directly, as if the user had consented (tests skip the browser). All scopes by default. */
  readonly grantTokens: (options?: OAuthServer.MintOptions) => MintedTokens
  /** Makes live access tokens of a user (all users when omitted) expire now. */
  readonly expireAccessTokens: (userId?: string) => void
  /** Revokes every grant of a user (all users when omitted). */
  readonly revokeGrant: (userId?: string) => void
  readonly counters: () => Counters.CountersSnapshot
  readonly resetCounters: () => void
  readonly injectFault: (fault: Faults.Fault) => void
  readonly clearFaults: () => void
  /** Faults still armed. */
  readonly pendingFaults: () => ReadonlyArray<Faults.Fault & { readonly remaining: number }>
  /** Requests per app-user pair per clock hour; also forgets the current window's counts. */
  readonly setRateLimit: (perHour: number) => void
  /** Makes the legacy Fitbit routes answer 410 Gone (`true`, as Google's do since 2026-11-02) or serve again (`false`). */
  readonly retireLegacyApi: (retired: boolean) => void
  /** Makes Google's list methods answer an empty page with a token before every page after the first (`true`), or not. */
  readonly setEmptyPages: (on: boolean) => void
  /** Sets Google's quotas in requests a minute, per user and per project (counts start afresh). */
  readonly setGoogleQuota: (limits: { readonly perUserPerMinute?: number; readonly perProjectPerMinute?: number }) => void
  /** How authorize obtains consent, and who consents. */
  readonly setConsent: (mode: ConsentMode, userId?: string) => void
  readonly addUser: (user: Partial<Registry.User> & { readonly userId: string }) => Registry.User
  readonly addApp: (app: Registry.App) => void
  /**
   * Registers an app's subscriber endpoint (app: the default one; subscriber id `"1"` by
   * default). Writes then notify the subscriptions of their collection there, signed.
   */
  readonly setSubscriber: (subscriber: {
    readonly url: string
    readonly verificationCode: string
    readonly clientId?: string | undefined
    readonly subscriberId?: string | undefined
  }) => void
  /** Verifies a registered subscriber endpoint as Fitbit does (right code 204, wrong code 404). */
  readonly verifySubscriber: (options?: { readonly clientId?: string; readonly subscriberId?: string }) => Promise<Webhooks.Verification>
  /** Sends notifications to a registered subscriber now, signed with the app's secret. */
  readonly notify: (
    notifications: ReadonlyArray<Webhooks.Notification>,
    options?: { readonly clientId?: string; readonly subscriberId?: string; readonly clientSecret?: string }
  ) => Promise<Webhooks.Delivery>
  /** Waits for notifications in flight (Fitbit's and Google's) and answers with every Fitbit delivery so far. */
  readonly flushNotifications: () => Promise<ReadonlyArray<Webhooks.Delivery>>
  /**
   * Sends Google Health notifications now, whatever the subscriptions say (`GoogleNotifications.NotificationInput`:
   * `{userId?, dataType?, operation?, intervals?, …}`, or several), to one subscriber
   * (`projects/{project}/subscribers/{id}`) or to every one, in POSTs of at most 99 items; answers
   * the deliveries once they are done. Throws a `TypeError` when there is no subscriber to send to.
   */
  readonly notifyGoogle: (
    notifications: GoogleNotifications.NotificationInput | ReadonlyArray<GoogleNotifications.NotificationInput>,
    options?: { readonly subscriber?: string | undefined }
  ) => Promise<ReadonlyArray<GoogleDeliveries.Delivery>>
  /** Waits for Google webhook POSTs in flight (those started meanwhile too) and answers every Google delivery logged. */
  readonly flushGoogleNotifications: () => Promise<ReadonlyArray<GoogleDeliveries.Delivery>>
  /** The Google webhook POSTs done so far (the newest 10,000), oldest first, each with the status its endpoint answered. */
  readonly googleDeliveries: () => ReadonlyArray<GoogleDeliveries.Delivery>
  /**
   * Shares a SMART Health Link for a user (default: the default user), as the Fitbit app does;
   * with a passcode the link needs it, with `expiresInSeconds` it expires on the emulator clock.
   */
  readonly shareLink: (options?: {
    readonly userId?: string | undefined
    readonly passcode?: string | undefined
    readonly label?: string | undefined
    readonly expiresInSeconds?: number | undefined
  }) => SharedLinks.SharedLink
}

/**
 * Builds the handle over the shared state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHandle = (state: State): EmulatorHandle => {
  const app = state.registry.apps.get(Registry.DEFAULT_APP.clientId) ?? Registry.DEFAULT_APP
  const pub = state.registry.apps.get(Registry.DEFAULT_PUBLIC_APP.clientId) ?? Registry.DEFAULT_PUBLIC_APP
  const user = state.registry.users.get(state.registry.defaultUserId)!
  return {
    baseUrl: state.baseUrl,
    defaultApp: { clientId: app.clientId, clientSecret: app.clientSecret ?? "", redirectUri: app.redirectUris[0]! },
    publicApp: { clientId: pub.clientId, redirectUri: pub.redirectUris[0]! },
    defaultUser: user,
    seed: state.seed,
    state,
    now: state.clock.now,
    setNow: state.clock.setNow,
    advance: state.clock.advance,
    grantTokens: (options = {}) =>
      OAuthServer.mint(state, {
        provider: "fitbit",
        clientId: app.clientId,
        scopes: FitbitScopes.SCOPES,
        expiresIn: state.accessTokenLifetimeSeconds
      }, options),
    expireAccessTokens: (userId) => {
      state.grants.expireAccess(userId)
    },
    revokeGrant: (userId) => {
      state.grants.revokeUser(userId)
    },
    counters: state.counters.snapshot,
    resetCounters: state.counters.reset,
    injectFault: state.faults.inject,
    clearFaults: state.faults.clear,
    pendingFaults: state.faults.pending,
    setGoogleQuota: (limits) => {
      if (typeof limits !== "object" || limits === null) throw new TypeError("limits is { perUserPerMinute?, perProjectPerMinute? }")
      state.googleQuota.setLimits(limits)
    },
    setEmptyPages: (on) => {
      if (typeof on !== "boolean") throw new TypeError("on is true or false")
      state.emptyPages = on
    },
    retireLegacyApi: (retired) => {
      if (typeof retired !== "boolean") throw new TypeError("retired is true or false")
      state.legacyRetired = retired
    },
    setRateLimit: (perHour) => {
      state.rateLimiter.setLimit(perHour)
      state.rateLimiter.reset()
    },
    setConsent: (mode, userId) => {
      if (mode !== "auto" && mode !== "page" && mode !== "deny") throw new TypeError("consent is auto, page or deny")
      if (userId !== undefined && !state.registry.users.has(userId)) throw new TypeError(`unknown user ${userId}`)
      state.consent = mode
      if (userId !== undefined) state.consentUserId = userId
    },
    addUser: (given) => {
      const made = Registry.makeUser(given)
      state.registry.users.set(made.userId, made)
      return made
    },
    shareLink: (options = {}) =>
      SharedLinks.share(state, {
        userId: options.userId ?? user.userId,
        ...(options.passcode === undefined ? {} : { passcode: options.passcode }),
        ...(options.label === undefined ? {} : { label: options.label }),
        ...(options.expiresInSeconds === undefined ? {} : { expiresInSeconds: options.expiresInSeconds })
      }),
    setSubscriber: (given) => {
      const clientId = given.clientId ?? app.clientId
      if (!state.registry.apps.has(clientId)) throw new TypeError(`unknown client ${clientId}`)
      state.webhooks.setSubscriber({
        clientId,
        subscriberId: given.subscriberId ?? "1",
        url: given.url,
        verificationCode: given.verificationCode
      })
    },
    verifySubscriber: async (options = {}) => {
      const subscriber = state.webhooks.subscriber(options.clientId ?? app.clientId, options.subscriberId ?? "1")
      if (subscriber === undefined) throw new TypeError("no such subscriber: call setSubscriber first")
      return Webhooks.verify(subscriber.url, subscriber.verificationCode)
    },
    notify: async (notifications, options = {}) => {
      const clientId = options.clientId ?? app.clientId
      const subscriber = state.webhooks.subscriber(clientId, options.subscriberId ?? "1")
      if (subscriber === undefined) throw new TypeError("no such subscriber: call setSubscriber first")
      const secret = options.clientSecret ?? state.registry.apps.get(clientId)?.clientSecret
      if (secret === undefined) throw new TypeError(`client ${clientId} has no secret to sign with`)
      return Webhooks.deliver(subscriber, secret, notifications)
    },
    flushNotifications: async () => {
      await GoogleState.of(state).deliveries.flush()
      return state.webhooks.flush()
    },
    notifyGoogle: async (notifications, options = {}) =>
      GoogleNotifications.notify(state, {
        subscriber: options.subscriber,
        notifications: Array.isArray(notifications) ? notifications : [notifications as GoogleNotifications.NotificationInput]
      }),
    flushGoogleNotifications: () => GoogleState.of(state).deliveries.flush(),
    googleDeliveries: () => GoogleState.of(state).deliveries.deliveries(),
    addApp: (added) => {
      if (typeof added.clientId !== "string" || added.clientId === "" || !Array.isArray(added.redirectUris)) {
        throw new TypeError("an app needs a clientId and redirectUris")
      }
      state.registry.apps.set(added.clientId, added)
    }
  }
}

/** Host names the control routes answer for, besides the one the emulator was bound to. */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"])

/** The host name of a `Host` header or an origin (`[::1]:8787` → `[::1]`), lower-cased. */
const hostName = (host: string): string => host.toLowerCase().replace(/:\d+$/, "")

/**
 * Why a control request is refused, if it is: the control routes are a test tool's, answered to a
 * test or a script on this machine, never to a web page. A `Host` that is neither loopback nor the
 * emulator's own address is DNS rebinding (a page's own name pointed at 127.0.0.1); an `Origin` or
 * `Sec-Fetch-Site` that is not the emulator's own is a page of another site, whose `text/plain`
 * POST needs no preflight.
 */
const refusal = (baseUrl: string, headers: Readonly<Record<string, string | undefined>>): string | undefined => {
  const own = new URL(baseUrl)
  const host = headers.host
  if (host === undefined || !(LOOPBACK.has(hostName(host)) || hostName(host) === own.hostname.toLowerCase())) {
    return "the control routes answer requests to a loopback host (or the emulator's own address) only"
  }
  const origin = headers.origin
  if (origin !== undefined && origin !== "null") {
    let from: URL | undefined
    try {
      from = new URL(origin)
    } catch {
      from = undefined
    }
    const sameOrigin = from !== undefined && from.port === own.port &&
      (LOOPBACK.has(from.hostname.toLowerCase()) || from.hostname.toLowerCase() === own.hostname.toLowerCase())
    if (!sameOrigin) return "the control routes do not answer web pages of other origins"
  } else if (origin === "null") {
    return "the control routes do not answer web pages of other origins"
  }
  const site = headers["sec-fetch-site"]
  if (site !== undefined && site !== "same-origin" && site !== "none") return "the control routes do not answer web pages of other sites"
  return undefined
}

const controlCall = (f: (handle: EmulatorHandle, body: any) => unknown) =>
  Effect.gen(function*() {
    const state = yield* EmulatorState
    const request = yield* HttpServerRequest.HttpServerRequest
    const refused = refusal(state.baseUrl, request.headers)
    if (refused !== undefined) return Http.json({ ok: false, error: refused }, 403)
    const body = request.method === "GET" || request.method === "DELETE"
      ? {}
      : yield* Effect.orElseSucceed(request.json, () => ({}))
    // A control may answer a Promise (a flush, a notification sent now): it is awaited.
    const outcome = yield* Effect.promise(async () => {
      try {
        return { ok: true as const, result: await f(makeHandle(state), body ?? {}) }
      } catch (error) {
        return { ok: false as const, error: error instanceof Error ? error.message : String(error) }
      }
    })
    if (!outcome.ok) return Http.json({ ok: false, error: outcome.error }, 400)
    return Http.json(outcome.result === undefined ? { ok: true } : outcome.result)
  })

/** Every delivery so far: Fitbit's, and Google's with the number of POSTs waiting or in flight. */
const notificationLog = (h: EmulatorHandle) => ({
  deliveries: h.state.webhooks.deliveries(),
  google: { pending: GoogleState.of(h.state).deliveries.pending(), deliveries: h.googleDeliveries() }
})

/** The body of `POST /__emulator/google-notifications`: one notification, or `{notifications, subscriber?}`. */
const notifyGoogleCall = (h: EmulatorHandle, body: any) => {
  const { notifications, subscriber, ...single } = body ?? {}
  if (subscriber !== undefined && typeof subscriber !== "string") throw new TypeError("subscriber is projects/{project}/subscribers/{id}")
  return h.notifyGoogle(notifications ?? single, { subscriber }).then((deliveries) => ({ deliveries }))
}

const info = (handle: EmulatorHandle) => ({
  baseUrl: handle.baseUrl,
  now: handle.now(),
  seed: handle.seed,
  defaultApp: handle.defaultApp,
  publicApp: handle.publicApp,
  users: [...handle.state.registry.users.values()],
  consent: handle.state.consent,
  rateLimitPerHour: handle.state.rateLimiter.limit(),
  googleQuota: handle.state.googleQuota.limits()
})

/**
 * The control routes (`/__emulator/…`). Bodies are JSON.
 *
 * - `GET /__emulator` — base URL, clock, apps, users, consent mode, rate limit
 * - `GET|POST /__emulator/clock` — read; set with `{"now": ms}` or move with `{"advanceMillis": ms}`
 * - `POST /__emulator/tokens` — `grantTokens` (`{userId?, clientId?, scopes?, expiresIn?}`); with
 *   `"provider": "google"` a Google grant (`Google.grantTokens`: every Google Health scope by default)
 * - `POST /__emulator/expire` — `{userId?}`; `POST /__emulator/revoke` — `{userId?}`
 * - `GET /__emulator/counters`; `POST /__emulator/counters/reset`
 * - `POST /__emulator/faults` — a fault; `GET` lists armed ones; `DELETE` clears them
 * - `POST /__emulator/rate-limit` — `{perHour}`; `POST /__emulator/consent` — `{mode, userId?}`: how
 *   Fitbit's and Google's authorize endpoints consent: `auto`, `deny` (`error=access_denied`), or
 *   `page` (an HTML page whose buttons `#allow` and `#deny` post the decision)
 * - `POST /__emulator/google-quota` — `{perUserPerMinute?, perProjectPerMinute?}`: Google's quotas
 * - `POST /__emulator/legacy-retired` — `{retired}`: the legacy Fitbit routes answer 410 Gone, or serve again
 * - `POST /__emulator/empty-pages` — `{on}`: Google's list methods answer empty pages with tokens between pages
 * - `POST /__emulator/users` — a user; `POST /__emulator/apps` — an app
 * - `POST /__emulator/subscribers` — `{url, verificationCode, clientId?, subscriberId?}`: a Fitbit
 *   subscriber endpoint (Google subscribers are made through `POST /v4/projects/{project}/subscribers`)
 * - `GET /__emulator/notifications` — the webhook deliveries so far: `{deliveries, google: {pending,
 *   deliveries}}` (Fitbit's, then Google's POSTs, each with its items and the `status` the endpoint
 *   answered or the `error` why none)
 * - `POST /__emulator/notifications/flush` — answers once every delivery in flight (Fitbit's and
 *   Google's) has settled, with the same body as `GET /__emulator/notifications`
 * - `POST /__emulator/google-notifications` — sends Google notifications now, whatever the
 *   subscriptions say: `{userId?, dataType?, operation?, intervals?, …}` (defaults: the default
 *   user, `steps`, `UPSERT`, the user's current day; an interval may be `{startTime, endTime}`; other
 *   fields are sent as given) or `{notifications: [...]}`, with `subscriber?` (a subscriber's name;
 *   every subscriber by default); answers `{deliveries}` once they are done
 * - `POST /__emulator/shared-links` — `{userId?, passcode?, label?, expiresInSeconds?}`: a SMART Health Link
 *
 * @since 0.1.0
 * @category routes
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get(CONTROL_PREFIX, controlCall(info)),
  HttpRouter.get(`${CONTROL_PREFIX}/clock`, controlCall((h) => ({ now: h.now() }))),
  HttpRouter.post(
    `${CONTROL_PREFIX}/clock`,
    controlCall((h, body) => {
      if (typeof body.now === "number") h.setNow(body.now)
      else if (typeof body.now === "string") h.setNow(Date.parse(body.now))
      if (typeof body.advanceMillis === "number") h.advance(body.advanceMillis)
      return { now: h.now() }
    })
  ),
  HttpRouter.post(
    `${CONTROL_PREFIX}/tokens`,
    controlCall((h, body) => body.provider === "google" ? GoogleOAuth.grantTokens(h.state, body) : h.grantTokens(body))
  ),
  HttpRouter.post(`${CONTROL_PREFIX}/expire`, controlCall((h, body) => h.expireAccessTokens(body.userId))),
  HttpRouter.post(`${CONTROL_PREFIX}/revoke`, controlCall((h, body) => h.revokeGrant(body.userId))),
  HttpRouter.get(`${CONTROL_PREFIX}/counters`, controlCall((h) => h.counters())),
  HttpRouter.post(`${CONTROL_PREFIX}/counters/reset`, controlCall((h) => h.resetCounters())),
  HttpRouter.post(`${CONTROL_PREFIX}/faults`, controlCall((h, body) => h.injectFault(body))),
  HttpRouter.get(`${CONTROL_PREFIX}/faults`, controlCall((h) => ({ faults: h.pendingFaults() }))),
  HttpRouter.del(`${CONTROL_PREFIX}/faults`, controlCall((h) => h.clearFaults())),
  HttpRouter.post(`${CONTROL_PREFIX}/rate-limit`, controlCall((h, body) => h.setRateLimit(body.perHour))),
  HttpRouter.post(`${CONTROL_PREFIX}/legacy-retired`, controlCall((h, body) => h.retireLegacyApi(body.retired))),
  HttpRouter.post(`${CONTROL_PREFIX}/google-quota`, controlCall((h, body) => h.setGoogleQuota(body))),
  HttpRouter.post(`${CONTROL_PREFIX}/empty-pages`, controlCall((h, body) => h.setEmptyPages(body.on))),
  HttpRouter.post(`${CONTROL_PREFIX}/consent`, controlCall((h, body) => h.setConsent(body.mode, body.userId)))
).pipe(
  HttpRouter.post(`${CONTROL_PREFIX}/users`, controlCall((h, body) => h.addUser(body))),
  HttpRouter.post(`${CONTROL_PREFIX}/apps`, controlCall((h, body) => h.addApp(body))),
  HttpRouter.post(`${CONTROL_PREFIX}/subscribers`, controlCall((h, body) => h.setSubscriber(body))),
  HttpRouter.post(`${CONTROL_PREFIX}/shared-links`, controlCall((h, body) => h.shareLink(body))),
  HttpRouter.get(`${CONTROL_PREFIX}/notifications`, controlCall(notificationLog)),
  HttpRouter.post(`${CONTROL_PREFIX}/notifications/flush`, controlCall((h) => h.flushNotifications().then(() => notificationLog(h)))),
  HttpRouter.post(`${CONTROL_PREFIX}/google-notifications`, controlCall(notifyGoogleCall))
)
