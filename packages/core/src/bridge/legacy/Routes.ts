/**
 * The legacy Fitbit Web API paths answered from Google Health: one row per path pattern (HTTP
 * method, the path after `/{version}/user/{user}`, the handler, the Google Health methods it
 * calls, and what differs from Fitbit), and for paths without a row the closest Google Health
 * method, named in the 501 answer.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Activity from "./Activity.js"
import * as Body from "./Body.js"
import type { Failure, Http, LegacyAnswer, LegacyCall } from "./Context.js"
import * as Heart from "./Heart.js"
import * as Metrics from "./Metrics.js"
import * as Sleep from "./Sleep.js"
import * as User from "./User.js"
import * as Water from "./Water.js"

/**
 * One supported legacy path.
 *
 * @since 0.1.0
 * @category models
 */
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  /** The path after `/{version}/user/{user}`, with `{name}` parameters, as in Fitbit's docs. */
  readonly path: string
  /** API versions it answers to (sleep is 1.2 only). */
  readonly versions?: ReadonlyArray<string>
  /** The Google Health methods behind it. */
  readonly google: string
  /** What differs from the Fitbit answer; empty when nothing does. */
  readonly differs: string
  readonly handle: (call: LegacyCall) => Effect.Effect<unknown | LegacyAnswer, Failure, Http>
}

const DATE_PARAM = "{date}"
const list = (type: string) => `users.dataTypes.dataPoints.list (${type})`
const daily = (...types: ReadonlyArray<string>) => `users.dataTypes.dataPoints.dailyRollUp (${types.join(", ")})`

/**
 * Every supported path.
 *
 * @since 0.1.0
 * @category routes
 */
export const ROUTES: ReadonlyArray<Route> = [
  { method: "GET", path: "/profile.json", google: "users.getProfile, users.getSettings, users.getIdentity, " + list("height"), differs: "no `displayName`, `fullName`, `gender`, `dateOfBirth`, `startDayOfWeek` (Google keeps none); `weight` left out; `averageDailySteps` is the last 30 days' mean; avatars are Fitbit's defaults", handle: User.profile },
  { method: "GET", path: "/devices.json", google: "users.pairedDevices.list", differs: "`features` is empty", handle: User.devices },
  { method: "GET", path: `/activities/date/${DATE_PARAM}.json`, google: list("steps, distance, floors, altitude, active-energy-burned, basal-energy-burned, exercise, daily-heart-rate-zones, daily-resting-heart-rate") + ", " + daily("activity-level, time-in-heart-rate-zone, calories-in-heart-rate-zone"), differs: "no `marginalCalories`; `goals` are Fitbit's defaults (Google has none)", handle: Activity.summary },
  { method: "GET", path: `/activities/{resource}/date/${DATE_PARAM}/{period}.json`, google: daily("steps, distance, floors, altitude, total-calories, active-energy-burned, activity-level, active-zone-minutes"), differs: "", handle: Activity.series },
  { method: "GET", path: `/activities/steps/date/${DATE_PARAM}/1d/15min.json`, google: list("steps"), differs: "15-minute detail only (Google's step intervals)", handle: Activity.intradaySteps },
  { method: "GET", path: `/activities/steps/date/${DATE_PARAM}/1d/15min/time/{start}/{end}.json`, google: list("steps"), differs: "15-minute detail only", handle: Activity.intradaySteps },
  { method: "GET", path: `/activities/heart/date/${DATE_PARAM}/{period}.json`, google: list("daily-heart-rate-zones, daily-resting-heart-rate") + ", " + daily("time-in-heart-rate-zone", "calories-in-heart-rate-zone"), differs: "", handle: Heart.series },
  { method: "GET", path: `/activities/heart/date/${DATE_PARAM}/1d/5min.json`, google: list("heart-rate"), differs: "5-minute detail only (the samples Google serves)", handle: Heart.intraday },
  { method: "GET", path: `/activities/heart/date/${DATE_PARAM}/1d/5min/time/{start}/{end}.json`, google: list("heart-rate"), differs: "5-minute detail only", handle: Heart.intraday },
  { method: "GET", path: `/sleep/date/${DATE_PARAM}.json`, versions: ["1.2"], google: list("sleep"), differs: "no `thirtyDayAvgMinutes` in the stage summary; `efficiency` is minutes asleep / minutes in the sleep period", handle: Sleep.byDate },
  { method: "GET", path: `/sleep/date/${DATE_PARAM}/{end}.json`, versions: ["1.2"], google: list("sleep"), differs: "as by date", handle: Sleep.byRange },
  { method: "GET", path: "/sleep/list.json", versions: ["1.2"], google: list("sleep"), differs: "as by date; a page reads at most 100 days past the pivot; `next`/`previous` are paths", handle: Sleep.list },
  { method: "GET", path: `/body/log/weight/date/${DATE_PARAM}.json`, google: list("weight, body-fat, height"), differs: "`source` is `Aria` for a scale, `API` otherwise", handle: Body.weightLogs },
  { method: "GET", path: `/body/log/weight/date/${DATE_PARAM}/{period}.json`, google: list("weight, body-fat, height"), differs: "as by date", handle: Body.weightLogs },
  { method: "GET", path: `/body/log/fat/date/${DATE_PARAM}.json`, google: list("weight, body-fat"), differs: "as weight", handle: Body.fatLogs },
  { method: "GET", path: `/body/log/fat/date/${DATE_PARAM}/{period}.json`, google: list("weight, body-fat"), differs: "as weight", handle: Body.fatLogs },
  { method: "GET", path: `/body/{resource}/date/${DATE_PARAM}/{period}.json`, google: list("weight, body-fat, height"), differs: "", handle: Body.series },
  { method: "GET", path: `/foods/log/water/date/${DATE_PARAM}.json`, google: list("hydration-log"), differs: "", handle: Water.byDate },
  { method: "GET", path: `/foods/log/water/date/${DATE_PARAM}/{period}.json`, google: daily("hydration-log"), differs: "", handle: Water.series },
  { method: "POST", path: "/foods/log/water.json", google: "users.dataTypes.dataPoints.create (hydration-log)", differs: "logged at noon local time (Fitbit water logs have no time)", handle: Water.log },
  { method: "POST", path: "/foods/log/water/{logId}.json", google: "users.dataTypes.dataPoints.get, patch (hydration-log)", differs: "", handle: Water.update },
  { method: "PUT", path: "/foods/log/water/{logId}.json", google: "users.dataTypes.dataPoints.get, patch (hydration-log)", differs: "", handle: Water.update },
  { method: "DELETE", path: "/foods/log/water/{logId}.json", google: "users.dataTypes.dataPoints.batchDelete (hydration-log)", differs: "", handle: Water.remove },
  ...(Object.keys(Metrics.METRICS) as Array<keyof typeof Metrics.METRICS>).flatMap((prefix): Array<Route> => {
    const type = Metrics.METRICS[prefix].dataType
    const differs = prefix === "cardioscore" ? "`vo2Max` is Google's value ± 2 as Fitbit's range" : ""
    return [
      { method: "GET", path: `/${prefix}/date/${DATE_PARAM}.json`, versions: ["1"], google: list(type), differs, handle: Metrics.handle(prefix) },
      { method: "GET", path: `/${prefix}/date/${DATE_PARAM}/{end}.json`, versions: ["1"], google: list(type), differs, handle: Metrics.handle(prefix) }
    ]
  })
]

/** `{resource}` values each templated route accepts. */
const RESOURCES: Readonly<Record<string, ReadonlyArray<string>>> = {
  "/activities/{resource}/date/{date}/{period}.json": Activity.SERIES_RESOURCES,
  "/body/{resource}/date/{date}/{period}.json": ["weight", "bmi", "fat"]
}

const compiled = ROUTES.map((route) => {
  const names: Array<string> = []
  const source = route.path
    .replace(/[.]/g, "\\.")
    .replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name)
      return name === "resource" ? "([a-zA-Z-]+)" : "([^/]+)"
    })
  return { route, names, pattern: new RegExp(`^${source}$`) }
})

/**
 * The route and parameters of a path, when one answers it. Literal routes (`/steps/…/15min`)
 * win over templated ones (`/{resource}/…/{period}`).
 *
 * @since 0.1.0
 * @category routes
 */
export const match = (method: string, path: string): { readonly route: Route; readonly params: Record<string, string> } | undefined => {
  for (const { names, pattern, route } of compiled) {
    if (route.method !== method) continue
    const m = pattern.exec(path)
    if (m === null) continue
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]))
    const allowed = RESOURCES[route.path]
    if (params.resource !== undefined && allowed !== undefined && !allowed.includes(params.resource)) continue
    return { route, params }
  }
  return undefined
}

const CLOSEST: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/foods\//, "users.dataTypes.dataPoints.list (nutrition-log, food)"],
  [/^\/activities\/(list|\d+)|^\/activities\.json/, "users.dataTypes.dataPoints.list / create (exercise)"],
  [/^\/activities\/[^/]+\/date\/[^/]+\/1d\//, "users.dataTypes.dataPoints.list (steps, distance, floors, heart-rate) — Google's own intervals"],
  [/^\/activities\//, "users.dataTypes.dataPoints.dailyRollUp"],
  [/^\/sleep/, "users.dataTypes.dataPoints.create / batchDelete (sleep)"],
  [/^\/body\//, "users.dataTypes.dataPoints.create / batchDelete (weight, body-fat)"],
  [/apiSubscriptions/, "projects.subscribers.subscriptions"],
  [/^\/ecg/, "users.dataTypes.dataPoints.list (electrocardiogram)"],
  [/^\/irn/, "users.dataTypes.dataPoints.list (irregular-rhythm-notification), users.getIrnProfile"],
  [/^\/(spo2|hrv|br|cardioscore|temp)\//, "users.dataTypes.dataPoints.list (the matching daily type)"],
  [/^\/profile/, "users.updateProfile, users.updateSettings"]
]

/**
 * The Google Health method closest to an unsupported path, or `undefined` when Google Health has
 * none (friends, badges, food database, …).
 *
 * @since 0.1.0
 * @category routes
 */
export const closestGoogleMethod = (path: string): string | undefined => CLOSEST.find(([pattern]) => pattern.test(path))?.[1]
