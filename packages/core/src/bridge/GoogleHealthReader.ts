/**
 * The bridge's reader of the Google Health API v4: identity, profile and settings from Google's
 * `users` methods; steps, sleep and resting heart rate through the Google→Fitbit translation the
 * legacy backend uses (`LegacyFitbit.LegacyOnGoogle`), over `GoogleHealthSession` (tokens).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Errors from "../Errors.js"
import * as GoogleDataTypes from "../google/GoogleDataTypes.js"
import * as GoogleHealthHttp from "../google/GoogleHealthHttp.js"
import * as FitbitHttp from "../fitbit/FitbitHttp.js"
import * as LegacyOnGoogle from "./legacy/LegacyOnGoogle.js"
import * as GoogleUsers from "../google/resources/GoogleUsers.js"
import * as GoogleHealthSession from "../google/GoogleHealthSession.js"
import { dataReads, type WithToken } from "./FitbitReader.js"
import type { BackendReader } from "./Reader.js"


/**
 * The Google Health API v4 backend, over `GoogleHealthSession` (tokens) and `GoogleHealthHttp`:
 * the identity and profile from Google's `users` methods, the data through the one Google→Fitbit
 * translation (`LegacyFitbit.LegacyOnGoogle`), read as the Fitbit reader reads it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const googleHealthReader: Effect.Effect<
  BackendReader,
  never,
  GoogleHealthSession.GoogleHealthSession | GoogleHealthHttp.GoogleHealthHttp
> = Effect.gen(function*() {
  const sessions = yield* GoogleHealthSession.GoogleHealthSession
  const http = yield* GoogleHealthHttp.GoogleHealthHttp
  const translated = yield* Effect.provideService(LegacyOnGoogle.make(), GoogleHealthHttp.GoogleHealthHttp, http)
  const withGoogle = <A>(
    user: string,
    f: (token: Redacted.Redacted<string>) => Effect.Effect<A, Errors.RequestFailure, GoogleHealthHttp.GoogleHealthHttp>
  ) => sessions.withAccessToken(user, (token) => Effect.provideService(f(token), GoogleHealthHttp.GoogleHealthHttp, http))
  const withToken: WithToken = (user, f) =>
    sessions.withAccessToken(user, (token) => Effect.provideService(f(token), FitbitHttp.FitbitHttp, translated))
  return {
    backend: "google-health",
    profile: (user) =>
      withGoogle(user, (token) =>
        Effect.gen(function*() {
          const identity = yield* GoogleUsers.getIdentity(token)
          const profile = yield* GoogleUsers.getProfile(token)
          // Settings need their own scope; without it the time zone is just unknown.
          const settings = yield* GoogleUsers.getSettings(token).pipe(
            Effect.map(Option.some),
            Effect.catchTag("InsufficientScope", () => Effect.succeedNone)
          )
          return {
            backend: "google-health" as const,
            userId: identity.healthUserId ?? "",
            legacyFitbitUserId: identity.legacyUserId,
            displayName: undefined,
            age: profile.age,
            memberSince: GoogleDataTypes.formatDate(profile.membershipStartDate),
            timeZone: Option.getOrUndefined(Option.flatMapNullable(settings, (s) => s.timeZone))
          }
        })),
    ...dataReads(withToken)
  } satisfies BackendReader
})
