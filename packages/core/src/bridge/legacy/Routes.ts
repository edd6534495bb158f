/**
 * The legacy Fitbit Web API paths answered from Google Health: one row per path pattern (HTTP
 * method, the path after `/{version}/user/{user}`, the handler, the Google Health methods it
 * calls, and what differs from Fitbit), and for paths without a row the closest Google Health
 * method, named in the 501 answer; the Fitbit Web API's own paths (`FITBIT_PATHS`), which tell a
 * path Google cannot answer (501) from one Fitbit never had (404), and the supported path nearest
 * a mistyped one (`suggest`).
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
import { editDistance } from "../../internal/editDistance.js"

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

/** The values of the enumerated parameters of Fitbit's paths; any other `{name}` is one segment. */
const FITBIT_PARAMS: Readonly<Record<string, string>> = {
  id: "\\d+",
  series:
    "calories|caloriesBMR|steps|distance|floors|elevation|minutesSedentary|minutesLightlyActive|minutesFairlyActive|minutesVeryActive|activityCalories|heart|active-zone-minutes|swimming-strokes",
  bodySeries: "bmi|fat|weight",
  bodyLog: "weight|fat",
  foodSeries: "caloriesIn|water",
  collection: "activities|body|foods|sleep|userRevokedAccess",
  goal: "daily|weekly",
  detail: "1sec|1min|5min|15min",
  metric: "spo2|hrv|br",
  temp: "core|skin"
}

/**
 * The paths of the Fitbit Web API (after `/{version}/user/{user}`, or after `/{version}` for those
 * without a user), as in Fitbit's reference: a path here without a row in {@link ROUTES} is one
 * Google Health cannot answer (501); a path in neither is not a Fitbit path (404).
 *
 * @since 0.1.0
 * @category routes
 */
export const FITBIT_PATHS: ReadonlyArray<string> = [
  "/profile.json", "/badges.json", "/devices.json", "/devices/tracker/{tracker}/alarms.json", "/devices/tracker/{tracker}/alarms/{id}.json",
  "/friends.json", "/friends/leaderboard.json", "/leaderboard/friends.json", "/friends/invitations.json", "/friends/invitations/{user}.json",
  "/activities.json", "/activities/date/{date}.json", "/activities/list.json", "/activities/{id}.json", "/activities/{id}.tcx",
  "/activities/recent.json", "/activities/frequent.json", "/activities/favorite.json", "/activities/favorite/{id}.json", "/activities/goals/{goal}.json",
  "/activities/{series}/date/{date}/{period}.json", "/activities/tracker/{series}/date/{date}/{period}.json",
  "/activities/{series}/date/{date}/{period}/{detail}.json", "/activities/{series}/date/{date}/{period}/{detail}/time/{start}/{end}.json",
  "/body/date/{date}.json", "/body/{bodySeries}/date/{date}/{period}.json", "/body/log/{bodyLog}.json", "/body/log/{bodyLog}/{id}.json",
  "/body/log/{bodyLog}/goal.json", "/body/log/{bodyLog}/date/{date}.json", "/body/log/{bodyLog}/date/{date}/{period}.json",
  "/foods/log.json", "/foods/log/{id}.json", "/foods/log/date/{date}.json", "/foods/log/goal.json", "/foods/log/{foodSeries}/date/{date}/{period}.json",
  "/foods/log/water.json", "/foods/log/water/{id}.json", "/foods/log/water/goal.json", "/foods/log/water/date/{date}.json",
  "/foods/log/recent.json", "/foods/log/frequent.json", "/foods/log/favorite.json", "/foods/log/favorite/{id}.json",
  "/foods.json", "/foods/{id}.json", "/foods/search.json", "/foods/units.json", "/foods/locales.json", "/meals.json", "/meals/{id}.json",
  "/sleep.json", "/sleep/{id}.json", "/sleep/goal.json", "/sleep/list.json", "/sleep/date/{date}.json", "/sleep/date/{date}/{end}.json",
  "/{metric}/date/{date}.json", "/{metric}/date/{date}/{end}.json", "/{metric}/date/{date}/all.json", "/{metric}/date/{date}/{end}/all.json",
  "/cardioscore/date/{date}.json", "/cardioscore/date/{date}/{end}.json", "/temp/{temp}/date/{date}.json", "/temp/{temp}/date/{date}/{end}.json",
  "/ecg/list.json", "/irn/alerts/list.json", "/irn/profile.json",
  "/apiSubscriptions.json", "/apiSubscriptions/{subscription}.json", "/{collection}/apiSubscriptions.json", "/{collection}/apiSubscriptions/{subscription}.json"
]

const fitbitPatterns = FITBIT_PATHS.map((template) =>
  new RegExp(`^${
    template.replace(/[.]/g, "\\.").replace(/\{(\w+)\}/g, (_, name: string) => `(?:${FITBIT_PARAMS[name] ?? "[^/]+"})`)
  }$`)
)

/**
 * Whether a path (after the user segment, no query) is one of the Fitbit Web API's
 * ({@link FITBIT_PATHS}), translated or not.
 *
 * @since 0.1.0
 * @category routes
 */
export const isFitbitPath = (path: string): boolean => fitbitPatterns.some((pattern) => pattern.test(path))

const extension = (segment: string): readonly [string, string] => {
  const dot = /\.[A-Za-z]*$/.exec(segment)
  return dot === null ? [segment, ""] : [segment.slice(0, dot.index), dot[0]]
}

/**
 * The cheapest way to make one segment fit a template segment: the edits of its name (a literal
 * by edit distance, a `{resource}` to its nearest value, any other parameter as given), one more
 * for a missing or other extension, and the segment it becomes.
 */
const fitSegment = (
  actual: string,
  template: string,
  allowed: ReadonlyArray<string> | undefined
): { readonly cost: number; readonly within: boolean; readonly value: string } => {
  const [name, ext] = extension(actual)
  const [templateName, templateExt] = extension(template)
  let fixed = templateName
  let cost = 0
  if (templateName === "{resource}" && allowed !== undefined) {
    cost = Infinity
    for (const value of allowed) {
      const d = editDistance(name, value)
      if (d < cost) [cost, fixed] = [d, value]
    }
  } else if (/^\{\w+\}$/.test(templateName)) {
    fixed = name
  } else {
    cost = editDistance(name, templateName)
  }
  // No segment is rewritten beyond recognition: a third of its letters at most (one in a short one).
  const within = cost <= Math.max(1, Math.floor(fixed.length / 3)) && fixed !== ""
  return { cost: cost + (ext === templateExt ? 0 : 1), within, value: fixed + templateExt }
}

/** At most this many character edits in all, and a third of a segment's length in any one. */
const MAX_EDITS = 4

/**
 * The supported path closest to one no row answers, for a "did you mean": each segment of the
 * path set against the same segment of each route of the same method (literal segments and
 * `{resource}` values by edit distance, other parameters taken as given). `undefined` when no
 * route is within a few edits.
 *
 * @since 0.1.0
 * @category routes
 */
export const suggest = (method: string, path: string): { readonly route: Route; readonly path: string } | undefined => {
  const segments = path.split("/").slice(1)
  let best: { readonly route: Route; readonly path: string; readonly cost: number } | undefined
  for (const route of ROUTES) {
    if (route.method !== method) continue
    const template = route.path.split("/").slice(1)
    if (template.length !== segments.length) continue
    let cost = 0
    const fitted: Array<string> = []
    for (let i = 0; i < template.length && cost <= MAX_EDITS; i++) {
      const fit = fitSegment(segments[i]!, template[i]!, RESOURCES[route.path])
      cost = fit.within ? cost + fit.cost : Infinity
      fitted.push(fit.value)
    }
    if (cost === 0 || cost > MAX_EDITS || (best !== undefined && best.cost <= cost)) continue
    const candidate = `/${fitted.join("/")}`
    if (match(method, candidate) !== undefined) best = { route, path: candidate, cost }
  }
  return best === undefined ? undefined : { route: best.route, path: best.path }
}
