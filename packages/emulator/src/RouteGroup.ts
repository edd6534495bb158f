/**
 * A route group: one API family served by the emulator (Fitbit OAuth, the Fitbit Web API,
 * the controls, and later Google Health). Every group's handlers read the one shared
 * {@link EmulatorState} (apps, users, grants, clock, counters, faults, rate limiter, data
 * seed), so all groups see the same users and the same generated numbers.
 *
 * Adding a group: build an `HttpRouter.HttpRouter<never, EmulatorState>` whose handlers read
 * `EmulatorState` (issue tokens with `state.grants.grant({provider: "<name>", …})`, read the
 * clock with `state.clock.now()`, count with `state.counters`, take numbers from
 * `DataGenerator` with `state.seed`), wrap handlers in `Http.counted` so they show in
 * `requestsByRoute`, wrap it with {@link make}, and list it in {@link defaults} (or pass it in
 * the emulator's `groups` option). Faults and path counting apply to every group already;
 * unknown paths answer Fitbit's 404 JSON unless the group routes its own prefix (`/v4/*`).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type { EmulatorState } from "./EmulatorState.js"
import * as Control from "./Control.js"
import * as FitbitApi from "./fitbit/Api.js"
import * as FitbitOAuth from "./fitbit/OAuth.js"
import * as Google from "./google/index.js"

/**
 * A named router whose handlers may need the shared state.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteGroup {
  readonly name: string
  readonly router: HttpRouter.HttpRouter<never, EmulatorState>
}

/**
 * Makes a group.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (name: string, router: HttpRouter.HttpRouter<never, EmulatorState>): RouteGroup => ({ name, router })

/**
 * Fitbit's OAuth endpoints.
 *
 * @since 0.1.0
 * @category routes
 */
export const fitbitOAuth: RouteGroup = make("fitbit-oauth", FitbitOAuth.router)

/**
 * The Fitbit Web API data endpoints.
 *
 * @since 0.1.0
 * @category routes
 */
export const fitbitApi: RouteGroup = make("fitbit-api", FitbitApi.router)

/**
 * The `/__emulator` controls.
 *
 * @since 0.1.0
 * @category routes
 */
export const control: RouteGroup = make("control", Control.router)

/**
 * The Google Health API v4: Google OAuth (`/o/oauth2/v2/auth`, `/token`, `/revoke`) and `/v4/`.
 *
 * @since 0.1.0
 * @category routes
 */
export const google: RouteGroup = make("google-health", Google.router)

/**
 * The groups every emulator serves.
 *
 * @since 0.1.0
 * @category routes
 */
export const defaults: ReadonlyArray<RouteGroup> = [control, fitbitOAuth, fitbitApi, google]

/**
 * One router of several groups.
 *
 * @since 0.1.0
 * @category combinators
 */
export const combine = (groups: ReadonlyArray<RouteGroup>): HttpRouter.HttpRouter<never, EmulatorState> =>
  groups.reduce((all, group) => HttpRouter.concat(all, group.router), HttpRouter.empty as HttpRouter.HttpRouter<never, EmulatorState>)
