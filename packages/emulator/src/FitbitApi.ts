/**
 * The Fitbit Web API data endpoints, answering from the data generator and the users'
 * writes: profile, devices, activity (daily summary, time series, intraday, log list and
 * logging), heart rate, sleep (1.2), body, water, food search, and subscriptions.
 *
 * Every call is checked in Fitbit's order: the API version, the bearer token (401
 * `invalid_client` / `invalid_token` / `expired_token`), the rate limit (429), the user
 * (403 `insufficient_permissions`), the scope (403 `insufficient_scope`), the input (400
 * `validation`). Every authenticated answer carries the `Fitbit-Rate-Limit-*` headers.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as DataGenerator from "./DataGenerator.js"
import { EmulatorState, type State, today } from "./EmulatorState.js"
import type * as Grants from "./Grants.js"
import * as Http from "./Http.js"
import * as RateLimiter from "./RateLimiter.js"
import type * as Registry from "./Registry.js"

type Reply = HttpServerResponse.HttpServerResponse

/**
 * What a data handler gets once the call is authenticated.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallContext {
  readonly state: State
  readonly seed: string
  readonly user: Registry.User
  readonly grant: Grants.Grant
  readonly version: string
  readonly params: Readonly<Record<string, string | undefined>>
  readonly query: Record<string, string>
  readonly headers: HttpServerRequest.HttpServerRequest["headers"]
  /** `en_US` answers in imperial units (miles, pounds); anything else metric. */
  readonly imperial: boolean
  /** Resolves `today` and checks a date parameter. */
  readonly date: (value: string | undefined, field?: string) => Effect.Effect<string, Reply>
  /** Reads the body's fields. */
  readonly body: Effect.Effect<Record<string, string>>
}

/**
 * The description of one data route.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteSpec {
  /** API versions this route answers to, e.g. `["1"]` or `["1.2"]`. */
  readonly versions: ReadonlyArray<string>
  /** Scope the token needs; none for subscriptions to all collections. */
  readonly scope?: string | undefined
  /** Whether a success counts as a write. */
  readonly write?: boolean | undefined
  /** Whether a successful write notifies subscribers (default: yes for writes). */
  readonly notifies?: boolean | undefined
  /** Whether the path has a `/user/:userId` segment (default true). */
  readonly userScoped?: boolean | undefined
}

/**
 * The versions most resources answer to. Sleep ranges and the sleep list are `1.2` only.
 *
 * @since 0.1.0
 * @category constants
 */
export const ANY_VERSION: ReadonlyArray<string> = ["1", "1.1", "1.2"]

const notFound = (message = "The API you are requesting could not be found.") =>
  Http.fitbitError(404, "not_found", message)

const validation = (message: string, fieldName?: string) => Http.fitbitError(400, "validation", message, { fieldName })

/**
 * Turns a data handler into a route handler: version, token, rate limit, user and scope
 * checks, then the handler, then the rate-limit headers and the write counter.
 *
 * @since 0.1.0
 * @category routing
 */
export const dataHandler = <R>(
  spec: RouteSpec,
  handler: (context: CallContext) => Effect.Effect<Reply, Reply, R>
) =>
  Http.counted(Http.answer(Effect.gen(function*() {
    const state = yield* EmulatorState
    const route = yield* HttpRouter.RouteContext
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = route.params
    const version = params.version ?? ""
    if (!spec.versions.includes(version)) {
      return yield* Effect.fail(notFound(
        `The API you are requesting could not be found: version ${version} of this resource does not exist (use ${
          spec.versions.join(" or ")
        }).`
      ))
    }
    const bearer = Http.bearerToken(request.headers)
    if (bearer === undefined) {
      return yield* Effect.fail(Http.fitbitError(
        401,
        "invalid_client",
        `Invalid authorization header format. The header was not recognized to be a valid header for any of known implementations or a client_id was not specified in case of a public client ${Http.OAUTH_DOCS}`
      ))
    }
    const found = state.grants.lookupAccess(bearer)
    // A token another route group issued (Google OAuth) is no Fitbit token at all.
    if (found._tag === "Unknown" || found._tag === "Revoked" || found.token.grant.provider !== "fitbit") {
      return yield* Effect.fail(Http.fitbitError(401, "invalid_token", `Access token invalid: ${bearer}. ${Http.OAUTH_DOCS}`))
    }
    if (found._tag === "Expired") {
      return yield* Effect.fail(Http.fitbitError(401, "expired_token", `Access token expired: ${bearer}. ${Http.OAUTH_DOCS}`))
    }
    const grant = found.token.grant
    const decision = state.rateLimiter.take(grant.clientId, grant.userId)
    const rateHeaders = RateLimiter.headers(decision)
    if (!decision.allowed) {
      state.counters.bump("rateLimited")
      return yield* Effect.fail(HttpServerResponse.empty({ status: 429, headers: rateHeaders }))
    }
    const withHeaders = (reply: Reply) => HttpServerResponse.setHeaders(reply, rateHeaders)
    return yield* Effect.gen(function*() {
      const userId = spec.userScoped === false ? "-" : params.userId ?? "-"
      if (userId !== "-" && userId !== grant.userId) {
        return yield* Effect.fail(Http.fitbitError(
          403,
          "insufficient_permissions",
          `This application does not have permission to access the data of user ${userId}.`
        ))
      }
      if (spec.scope !== undefined && !grant.scopes.includes(spec.scope)) {
        return yield* Effect.fail(Http.fitbitError(
          403,
          "insufficient_scope",
          `This application does not have permission to ${spec.write === true ? "write" : "read"} [${spec.scope}] data.`
        ))
      }
      const user = state.registry.users.get(grant.userId)
      if (user === undefined) return yield* Effect.fail(notFound(`User ${grant.userId} not found.`))
      const query = yield* Http.query
      const context: CallContext = {
        state,
        seed: state.seed,
        user,
        grant,
        version,
        params,
        query,
        headers: request.headers,
        imperial: (request.headers["accept-language"] ?? "") === "en_US",
        date: (value, field = "date") => {
          if (value === "today" || value === undefined) return Effect.succeed(today(state, user.userId))
          return DataGenerator.isDate(value)
            ? Effect.succeed(value)
            : Effect.fail(validation(`Invalid date:${value}`, field))
        },
        body: Effect.provideService(Http.bodyFields, HttpServerRequest.HttpServerRequest, request)
      }
      const reply = yield* handler(context)
      if (spec.write === true && reply.status < 300) {
        state.counters.bump("writes")
        if (spec.notifies !== false) notifySubscribers(context, spec)
      }
      return reply
    }).pipe(Effect.mapBoth({ onFailure: withHeaders, onSuccess: withHeaders }))
  })))

const COLLECTION_OF_SCOPE: Record<string, string> = { activity: "activities", nutrition: "foods", sleep: "sleep", weight: "body" }

/** After a write, notifies the app's subscriptions to that collection that have a subscriber endpoint. */
const notifySubscribers = (context: CallContext, spec: RouteSpec): void => {
  const collection = spec.scope === undefined ? undefined : COLLECTION_OF_SCOPE[spec.scope]
  if (collection === undefined) return
  const { clientId } = context.grant
  const app = context.state.registry.apps.get(clientId)
  if (app?.clientSecret === undefined) return
  const date = today(context.state, context.user.userId)
  for (const sub of context.state.data.subscriptions(clientId, context.user.userId).values()) {
    if (sub.collectionType !== collection && sub.collectionType !== "user") continue
    const subscriber = context.state.webhooks.subscriber(clientId, sub.subscriberId)
    if (subscriber === undefined) continue
    context.state.webhooks.dispatch(subscriber, app.clientSecret, [{
      collectionType: collection,
      date,
      ownerId: context.user.userId,
      ownerType: "user",
      subscriptionId: sub.subscriptionId
    }])
  }
}

// ---------------------------------------------------------------------------------------------
// helpers

const PERIODS: Record<string, number> = { "1d": 1, "7d": 7, "30d": 30, "1w": 7, "1m": 30, "3m": 91, "6m": 182, "1y": 365 }

/** A date range from `{date}/{period}` or `{start}/{end}`, at most `maxDays` long. */
const range = (
  context: CallContext,
  first: string | undefined,
  second: string | undefined,
  maxDays = 1095
): Effect.Effect<Array<string>, Reply> =>
  Effect.gen(function*() {
    const base = yield* context.date(first, "date")
    if (second !== undefined && second in PERIODS) {
      return DataGenerator.datesBetween(DataGenerator.addDays(base, -(PERIODS[second]! - 1)), base)
    }
    if (second === undefined || !(second === "today" || DataGenerator.isDate(second))) {
      return yield* Effect.fail(validation(`Invalid period or end date: ${second}`, "period"))
    }
    const end = yield* context.date(second, "end-date")
    if (end < base) return yield* Effect.fail(validation("The end date is before the start date.", "end-date"))
    const dates = DataGenerator.datesBetween(base, end)
    if (dates.length > maxDays) {
      return yield* Effect.fail(validation(`The date range is longer than ${maxDays} days.`, "end-date"))
    }
    return dates
  })

const KM_PER_MILE = 1.609344
const LB_PER_KG = 2.20462262
const r2 = (n: number) => Math.round(n * 100) / 100
const distance = (context: CallContext, km: number) => r2(context.imperial ? km / KM_PER_MILE : km)
const mass = (context: CallContext, kg: number) => r2(context.imperial ? kg * LB_PER_KG : kg)

const ACTIVITY_RESOURCES: Record<string, (a: DataGenerator.DailyActivity, context: CallContext) => number> = {
  steps: (a) => a.steps,
  calories: (a) => a.caloriesOut,
  caloriesBMR: (a) => a.caloriesBMR,
  activityCalories: (a) => a.activityCalories,
  distance: (a, c) => distance(c, a.distanceKm),
  floors: (a) => a.floors,
  elevation: (a, c) => r2(c.imperial ? a.elevation * 3.28084 : a.elevation),
  minutesSedentary: (a) => a.sedentaryMinutes,
  minutesLightlyActive: (a) => a.lightlyActiveMinutes,
  minutesFairlyActive: (a) => a.fairlyActiveMinutes,
  minutesVeryActive: (a) => a.veryActiveMinutes
}

const workoutsOf = (context: CallContext, date: string) => {
  const writes = context.state.data.of(context.user.userId)
  const generated = DataGenerator.workouts(context.seed, context.user.userId, date)
    .filter((w) => !writes.deleted.has(w.logId))
    .map((w) => ({ ...w, logType: "auto_detected" as const }))
  const logged = writes.activities.filter((a) => a.date === date).map((a) => ({
    logId: a.logId,
    activityName: a.activityName,
    activityTypeId: a.activityTypeId,
    startTime: a.startTime,
    durationMillis: a.durationMillis,
    calories: a.calories,
    steps: 0,
    distanceKm: a.distanceKm,
    averageHeartRate: 0,
    logType: "manual" as const
  }))
  return [...generated, ...logged].sort((a, b) => a.startTime.localeCompare(b.startTime))
}

const sleepsOf = (context: CallContext, date: string) => {
  const writes = context.state.data.of(context.user.userId)
  const main = DataGenerator.sleep(context.seed, context.user.userId, date)
  const generated = writes.deleted.has(main.logId) ? [] : [sleepJson(main)]
  const logged = writes.sleeps.filter((s) => s.dateOfSleep === date).map((s) => ({
    dateOfSleep: s.dateOfSleep,
    duration: s.durationMillis,
    efficiency: 100,
    endTime: s.endTime,
    infoCode: 0,
    isMainSleep: false,
    levels: { data: [], summary: {} },
    logId: s.logId,
    logType: "manual",
    minutesAfterWakeup: 0,
    minutesAsleep: Math.round(s.durationMillis / 60_000),
    minutesAwake: 0,
    minutesToFallAsleep: 0,
    startTime: s.startTime,
    timeInBed: Math.round(s.durationMillis / 60_000),
    type: "classic"
  }))
  return [...generated, ...logged]
}

const sleepJson = (s: DataGenerator.SleepSession) => ({
  dateOfSleep: s.dateOfSleep,
  duration: s.durationMillis,
  efficiency: s.efficiency,
  endTime: s.endTime,
  infoCode: 0,
  isMainSleep: true,
  levels: {
    data: s.segments.map((seg) => ({ dateTime: seg.dateTime, level: seg.level, seconds: seg.seconds })),
    summary: {
      deep: { count: s.summary.deep.count, minutes: s.summary.deep.minutes, thirtyDayAvgMinutes: s.summary.deep.minutes },
      light: { count: s.summary.light.count, minutes: s.summary.light.minutes, thirtyDayAvgMinutes: s.summary.light.minutes },
      rem: { count: s.summary.rem.count, minutes: s.summary.rem.minutes, thirtyDayAvgMinutes: s.summary.rem.minutes },
      wake: { count: s.summary.wake.count, minutes: s.summary.wake.minutes, thirtyDayAvgMinutes: s.summary.wake.minutes }
    }
  },
  logId: s.logId,
  logType: "auto_detected",
  minutesAfterWakeup: 0,
  minutesAsleep: s.minutesAsleep,
  minutesAwake: s.minutesAwake,
  minutesToFallAsleep: 0,
  startTime: s.startTime,
  timeInBed: s.timeInBed,
  type: "stages"
})

const sleepSummary = (sleeps: ReadonlyArray<ReturnType<typeof sleepJson> | { minutesAsleep: number; timeInBed: number }>) => ({
  totalMinutesAsleep: sleeps.reduce((n, s) => n + s.minutesAsleep, 0),
  totalSleepRecords: sleeps.length,
  totalTimeInBed: sleeps.reduce((n, s) => n + s.timeInBed, 0)
})

const activityLogJson = (context: CallContext, w: ReturnType<typeof workoutsOf>[number]) => ({
  activeDuration: w.durationMillis,
  activityName: w.activityName,
  activityTypeId: w.activityTypeId,
  averageHeartRate: w.averageHeartRate,
  calories: w.calories,
  distance: distance(context, w.distanceKm),
  distanceUnit: context.imperial ? "Mile" : "Kilometer",
  duration: w.durationMillis,
  logId: w.logId,
  logType: w.logType,
  originalDuration: w.durationMillis,
  originalStartTime: w.startTime,
  startTime: w.startTime,
  steps: w.steps
})

/** Keeps the points of an intraday dataset inside the `/time/{start}/{end}` window, when one is given. */
const timeWindow = <A extends { readonly time: string }>(
  context: CallContext,
  dataset: ReadonlyArray<A>
): Effect.Effect<ReadonlyArray<A>, Reply> => {
  const { end, start } = context.params
  if (start === undefined || end === undefined) return Effect.succeed(dataset)
  const valid = (t: string) => /^([01]\d|2[0-3]):[0-5]\d$/.test(t)
  if (!valid(start)) return Effect.fail(validation(`Invalid start time: ${start}`, "start-time"))
  if (!valid(end)) return Effect.fail(validation(`Invalid end time: ${end}`, "end-time"))
  return Effect.succeed(dataset.filter((p) => p.time.slice(0, 5) >= start && p.time.slice(0, 5) <= end))
}

/** Fitbit's before/after-date pagination over per-day items. */
const paginated = <A>(
  context: CallContext,
  path: string,
  key: string,
  itemsOf: (date: string) => ReadonlyArray<A>,
  timeOf: (a: A) => string
): Effect.Effect<Reply, Reply> =>
  Effect.gen(function*() {
    const q = context.query
    const before = q.beforeDate
    const after = q.afterDate
    if ((before === undefined) === (after === undefined)) {
      return yield* Effect.fail(validation("Exactly one of beforeDate or afterDate is required.", before === undefined ? "afterDate" : "beforeDate"))
    }
    const sort = q.sort ?? (before !== undefined ? "desc" : "asc")
    if (before !== undefined && sort !== "desc") return yield* Effect.fail(validation("Sort must be desc with beforeDate.", "sort"))
    if (after !== undefined && sort !== "asc") return yield* Effect.fail(validation("Sort must be asc with afterDate.", "sort"))
    const limit = Number(q.limit ?? "20")
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return yield* Effect.fail(validation("Limit must be between 1 and 100.", "limit"))
    }
    const offset = Number(q.offset ?? "0")
    if (!Number.isInteger(offset) || offset < 0) return yield* Effect.fail(validation("Invalid offset.", "offset"))
    const bound = (before ?? after)!.slice(0, 10)
    const pivot = yield* context.date(bound, before !== undefined ? "beforeDate" : "afterDate")
    const first = context.user.memberSince
    const last = today(context.state, context.user.userId)
    const items: Array<A> = []
    if (before !== undefined) {
      for (let d = DataGenerator.addDays(pivot, -1); d >= first && items.length < offset + limit + 1; d = DataGenerator.addDays(d, -1)) {
        items.push(...[...itemsOf(d)].sort((a, b) => timeOf(b).localeCompare(timeOf(a))))
      }
    } else {
      for (let d = DataGenerator.addDays(pivot, 1); d <= last && items.length < offset + limit + 1; d = DataGenerator.addDays(d, 1)) {
        items.push(...itemsOf(d))
      }
    }
    const page = items.slice(offset, offset + limit)
    const link = (o: number) => {
      const url = new URL(`${context.state.baseUrl}/${context.version}/user/-${path}`)
      url.searchParams.set(before !== undefined ? "beforeDate" : "afterDate", bound)
      url.searchParams.set("sort", sort)
      url.searchParams.set("limit", String(limit))
      url.searchParams.set("offset", String(o))
      return url.toString()
    }
    return Http.json({
      [key]: page,
      pagination: {
        ...(before !== undefined ? { beforeDate: bound } : { afterDate: bound }),
        limit,
        next: items.length > offset + limit ? link(offset + limit) : "",
        offset,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : "",
        sort
      }
    })
  })

const toJsonNumberString = (n: number) => String(n)

// ---------------------------------------------------------------------------------------------
// handlers

const profile = (context: CallContext) => {
  const u = context.user
  const edits = context.state.data.of(u.userId).profile
  const now = new Date(context.state.clock.now())
  const birth = new Date(`${u.dateOfBirth}T00:00:00Z`)
  const age = now.getUTCFullYear() - birth.getUTCFullYear() -
    (now.getUTCMonth() < birth.getUTCMonth() || (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate()) ? 1 : 0)
  return {
    user: {
      age,
      avatar: `https://static0.fitbit.com/images/profile/defaultProfile_100.png`,
      avatar150: `https://static0.fitbit.com/images/profile/defaultProfile_150.png`,
      averageDailySteps: DataGenerator.steps(context.seed, u.userId, today(context.state, u.userId)),
      dateOfBirth: u.dateOfBirth,
      displayName: edits.displayName ?? u.displayName,
      distanceUnit: context.imperial ? "en_US" : "METRIC",
      encodedId: u.userId,
      fullName: edits.fullName ?? u.fullName,
      gender: u.gender,
      height: context.imperial ? r2(u.heightCm / 2.54) : u.heightCm,
      heightUnit: context.imperial ? "en_US" : "METRIC",
      locale: u.locale,
      memberSince: u.memberSince,
      offsetFromUTCMillis: u.offsetFromUTCMillis,
      startDayOfWeek: "MONDAY",
      timezone: u.timezone,
      weight: mass(context, u.weightKg),
      weightUnit: context.imperial ? "en_US" : "METRIC"
    }
  }
}

const activitySummary = (context: CallContext, date: string) => {
  const a = DataGenerator.dailyActivity(context.seed, context.user.userId, date)
  const logs = workoutsOf(context, date)
  const km = a.distanceKm
  return {
    activities: logs.map((w) => ({
      activityId: w.activityTypeId,
      activityParentId: w.activityTypeId,
      calories: w.calories,
      description: "",
      distance: distance(context, w.distanceKm),
      duration: w.durationMillis,
      hasStartTime: true,
      isFavorite: false,
      logId: w.logId,
      name: w.activityName,
      startDate: date,
      startTime: w.startTime.slice(11, 16),
      steps: w.steps
    })),
    goals: { activeMinutes: 30, caloriesOut: 2500, distance: distance(context, 8.05), floors: 10, steps: 10000 },
    summary: {
      activityCalories: a.activityCalories,
      caloriesBMR: a.caloriesBMR,
      caloriesOut: a.caloriesOut,
      distances: [
        { activity: "total", distance: distance(context, km) },
        { activity: "tracker", distance: distance(context, km) },
        { activity: "loggedActivities", distance: distance(context, logs.reduce((n, w) => n + w.distanceKm, 0)) }
      ],
      elevation: ACTIVITY_RESOURCES.elevation!(a, context),
      fairlyActiveMinutes: a.fairlyActiveMinutes,
      floors: a.floors,
      heartRateZones: DataGenerator.heartRateZones(context.seed, context.user.userId, date),
      lightlyActiveMinutes: a.lightlyActiveMinutes,
      marginalCalories: Math.round(a.activityCalories * 0.6),
      restingHeartRate: a.restingHeartRate,
      sedentaryMinutes: a.sedentaryMinutes,
      steps: a.steps,
      veryActiveMinutes: a.veryActiveMinutes
    }
  }
}

const heartDay = (context: CallContext, date: string) => ({
  dateTime: date,
  value: {
    customHeartRateZones: [],
    heartRateZones: DataGenerator.heartRateZones(context.seed, context.user.userId, date),
    restingHeartRate: DataGenerator.restingHeartRate(context.seed, context.user.userId, date)
  }
})

const DETAIL_SECONDS: Record<string, number> = { "1sec": 5, "1min": 60, "5min": 300, "15min": 900 }

const weightLogs = (context: CallContext, dates: ReadonlyArray<string>): Array<DataGenerator.WeightEntry> => {
  const writes = context.state.data.of(context.user.userId)
  const meters = context.user.heightCm / 100
  return dates.flatMap((date) => {
    const w = DataGenerator.weight(context.seed, context.user.userId, date, context.user)
    const generated = w === undefined || writes.deleted.has(w.logId) ? [] : [w]
    const logged = writes.weights.filter((l) => l.date === date).map((l) => ({
      logId: l.logId,
      date: l.date,
      time: l.time,
      weightKg: l.weightKg,
      bmi: r2(l.weightKg / (meters * meters)),
      fatPercent: w?.fatPercent ?? 20
    }))
    return [...generated, ...logged].sort((a, b) => a.time.localeCompare(b.time))
  })
}

const waterOf = (context: CallContext, date: string) => context.state.data.of(context.user.userId).water.filter((w) => w.date === date)

const WATER_UNITS: Record<string, number> = { ml: 1, "fl oz": 29.5735, cup: 236.588 }

const mlOut = (context: CallContext, ml: number) => r2(context.imperial ? ml / WATER_UNITS["fl oz"]! : ml)

const COLLECTIONS = ["activities", "body", "foods", "sleep", "userRevokedAccess"] as const
const COLLECTION_SCOPES: Record<string, string | undefined> = {
  activities: "activity",
  body: "weight",
  foods: "nutrition",
  sleep: "sleep",
  userRevokedAccess: undefined
}

const subscriptionHandlers = (collection: string | undefined) => {
  const spec: RouteSpec = {
    versions: ANY_VERSION,
    scope: collection === undefined ? undefined : COLLECTION_SCOPES[collection],
    notifies: false
  }
  const collectionType = collection ?? "user"
  const subscriptions = (context: CallContext) => context.state.data.subscriptions(context.grant.clientId, context.user.userId)
  const json = (s: { subscriptionId: string; collectionType: string; ownerId: string; subscriberId: string }) => ({
    collectionType: s.collectionType,
    ownerId: s.ownerId,
    ownerType: "user",
    subscriberId: s.subscriberId,
    subscriptionId: s.subscriptionId
  })
  return {
    create: dataHandler({ ...spec, write: true }, (context) =>
      Effect.gen(function*() {
        const id = context.params.subscriptionId ?? ""
        if (!/^[A-Za-z0-9_-]{1,50}$/.test(id)) return yield* Effect.fail(validation("Invalid subscription id.", "subscription-id"))
        const subscriberId = context.headers["x-fitbit-subscriber-id"] ?? "1"
        const existing = subscriptions(context).get(id)
        if (existing !== undefined) {
          if (existing.collectionType === collectionType && existing.subscriberId === subscriberId) return Http.json(json(existing), 200)
          return Http.fitbitError(409, "conflict", `Subscription ${id} already exists for another collection or subscriber.`)
        }
        const created = { subscriptionId: id, collectionType, ownerId: context.user.userId, subscriberId }
        subscriptions(context).set(id, created)
        return Http.json(json(created), 201)
      })),
    list: dataHandler(spec, (context) =>
      Effect.succeed(Http.json({
        apiSubscriptions: [...subscriptions(context).values()]
          .filter((s) => collection === undefined || s.collectionType === collection)
          .map(json)
      }))),
    remove: dataHandler({ ...spec, write: true }, (context) => {
      const id = context.params.subscriptionId ?? ""
      const existing = subscriptions(context).get(id)
      if (existing === undefined || (collection !== undefined && existing.collectionType !== collection)) {
        return Effect.fail(notFound(`Subscription ${id} not found.`))
      }
      subscriptions(context).delete(id)
      return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
    })
  }
}

const U = "/:version/user/:userId"

const FOODS = ["Apple", "Banana", "Bagel", "Chicken breast", "Oatmeal", "Orange juice", "Rice", "Salmon", "Yogurt"]

const withSubscriptions: Step = (router) => {
  let out = router
  for (const collection of [undefined, ...COLLECTIONS]) {
    const prefix: `/${string}` = collection === undefined ? U : `${U}/${collection}`
    const h = subscriptionHandlers(collection)
    out = out.pipe(
      HttpRouter.post(`${prefix}/apiSubscriptions/:subscriptionId.json`, h.create),
      HttpRouter.get(`${prefix}/apiSubscriptions.json`, h.list),
      HttpRouter.del(`${prefix}/apiSubscriptions/:subscriptionId.json`, h.remove)
    )
  }
  return out
}

const optionalNumberField = (
  fields: Record<string, string>,
  name: string,
  opts: { min?: number } = {}
): Effect.Effect<number | undefined, Reply> =>
  fields[name] === undefined || fields[name] === "" ? Effect.succeed(undefined) : numberField(fields, name, opts)

const numberField = (fields: Record<string, string>, name: string, opts: { min?: number } = {}): Effect.Effect<number, Reply> => {
  const raw = fields[name]
  if (raw === undefined || raw === "") return Effect.fail(validation(`Missing parameter: ${name}`, name))
  const n = Number(raw)
  return Number.isFinite(n) && n >= (opts.min ?? 0)
    ? Effect.succeed(n)
    : Effect.fail(validation(`Invalid ${name}: ${raw}`, name))
}

const timeField = (fields: Record<string, string>, name: string) => {
  const raw = fields[name]
  const m = raw === undefined ? null : /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw)
  if (m === null || Number(m[1]) > 23 || Number(m[2]) > 59) {
    return Effect.fail(validation(`Invalid ${name}: expected HH:mm`, name))
  }
  return Effect.succeed(Number(m[1]) * 60 + Number(m[2]))
}

const heartIntraday = dataHandler({ versions: ANY_VERSION, scope: "heartrate" }, (c) =>
      Effect.gen(function*() {
        const date = yield* c.date(c.params.date)
        const interval = DETAIL_SECONDS[c.params.detail ?? ""]
        if (interval === undefined) {
          return yield* Effect.fail(validation(`Invalid detail level: ${c.params.detail} (1sec, 1min, 5min or 15min).`, "detail-level"))
        }
        const samples = DataGenerator.heartRateSamples(c.seed, c.user.userId, date, interval)
        const dataset = yield* timeWindow(c, samples.map(([s, bpm]) => ({ time: DataGenerator.clockTime(Math.floor(s / 60), s % 60), value: bpm })))
        return Http.json({
          "activities-heart": [heartDay(c, date)],
          "activities-heart-intraday": {
            dataset,
            datasetInterval: interval === 5 ? 1 : interval / 60,
            datasetType: interval === 5 ? "second" : "minute"
          }
        })
      }))

const activityIntraday = dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      Effect.gen(function*() {
        const resource = c.params.resource ?? ""
        if (!["steps", "calories", "distance", "floors", "elevation"].includes(resource)) {
          return yield* Effect.fail(notFound(`No intraday series for ${resource}.`))
        }
        const date = yield* c.date(c.params.date)
        const step = { "1min": 1, "5min": 5, "15min": 15 }[c.params.detail ?? ""]
        if (step === undefined) {
          return yield* Effect.fail(validation(`Invalid detail level: ${c.params.detail} (1min, 5min or 15min).`, "detail-level"))
        }
        const perMinute = DataGenerator.stepsByMinute(c.seed, c.user.userId, date)
        const a = DataGenerator.dailyActivity(c.seed, c.user.userId, date)
        const all: Array<{ time: string; value: number }> = []
        for (let m = 0; m < 1440; m += step) {
          const stepsIn = perMinute.slice(m, m + step).reduce((x, y) => x + y, 0)
          const floorsIn = Math.round(stepsIn * a.floors / Math.max(1, a.steps))
          const v = resource === "steps"
            ? stepsIn
            : resource === "floors"
            ? floorsIn
            : resource === "elevation"
            ? r2(floorsIn * (c.imperial ? 10 : 3.048))
            : resource === "distance"
            ? Math.round(distance(c, stepsIn * 0.000762) * 1000) / 1000
            : r2(a.caloriesBMR / 1440 * step + stepsIn * 0.04)
          all.push({ time: DataGenerator.clockTime(m), value: v })
        }
        const dataset = yield* timeWindow(c, all)
        return Http.json({
          [`activities-${resource}`]: [{ dateTime: date, value: toJsonNumberString(ACTIVITY_RESOURCES[resource]!(a, c)) }],
          [`activities-${resource}-intraday`]: { dataset, datasetInterval: step, datasetType: "minute" }
        })
      }))

type Step = (self: HttpRouter.HttpRouter<never, EmulatorState>) => HttpRouter.HttpRouter<never, EmulatorState>

const routes: ReadonlyArray<Step> = [
  // profile & devices
  HttpRouter.get(`${U}/profile.json`, dataHandler({ versions: ANY_VERSION, scope: "profile" }, (c) => Effect.succeed(Http.json(profile(c))))),
  HttpRouter.post(
    `${U}/profile.json`,
    dataHandler({ versions: ANY_VERSION, scope: "profile", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const edits = c.state.data.of(c.user.userId).profile
        for (const key of ["displayName", "fullName"]) {
          const value = fields[key]
          if (value !== undefined) {
            if (value.length === 0 || value.length > 100) return yield* Effect.fail(validation(`Invalid ${key}.`, key))
            edits[key] = value
          }
        }
        return Http.json(profile(c))
      }))
  ),
  HttpRouter.get(
    `${U}/devices.json`,
    dataHandler({ versions: ANY_VERSION, scope: "settings" }, (c) => {
      const next = DataGenerator.rng(c.seed, c.user.userId, "device")
      const sync = new Date(c.state.clock.now() - Math.floor(next() * 3_600_000) + c.user.offsetFromUTCMillis)
      return Effect.succeed(Http.json([{
        battery: "High",
        batteryLevel: 60 + Math.floor(next() * 40),
        deviceVersion: "Charge 6",
        features: [],
        id: String(2_000_000_000 + (DataGenerator.hash(`${c.seed}|${c.user.userId}|device`) % 100_000_000)),
        lastSyncTime: sync.toISOString().slice(0, 23),
        mac: "A1B2C3D4E5F6",
        type: "TRACKER"
      }]))
    })
  ),
  // activity
  HttpRouter.get(
    `${U}/activities/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => Http.json(activitySummary(c, date))))
  ),
  HttpRouter.get(
    `${U}/activities/list.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      paginated(
        c,
        "/activities/list.json",
        "activities",
        (date) => workoutsOf(c, date).map((w) => activityLogJson(c, w)),
        (a) => a.startTime
      ))
  ),
  HttpRouter.post(
    `${U}/activities.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const name = fields.activityName ?? (fields.activityId === undefined ? undefined : `Activity ${fields.activityId}`)
        if (name === undefined) return yield* Effect.fail(validation("activityId or activityName is required.", "activityId"))
        const date = yield* c.date(fields.date ?? "", "date")
        const start = yield* timeField(fields, "startTime")
        const durationMillis = yield* numberField(fields, "durationMillis", { min: 1 })
        const calories = (yield* optionalNumberField(fields, "manualCalories")) ?? Math.round(durationMillis / 60_000 * 5)
        const distanceKm = (yield* optionalNumberField(fields, "distance")) ?? 0
        const log = {
          logId: c.state.data.nextLogId(),
          date,
          activityName: name,
          activityTypeId: Number(fields.activityId ?? 0),
          startTime: DataGenerator.localDateTime(date, start),
          durationMillis,
          calories,
          distanceKm
        }
        c.state.data.of(c.user.userId).activities.push(log)
        return Http.json({
          activityLog: {
            activityId: log.activityTypeId,
            activityParentId: log.activityTypeId,
            calories: log.calories,
            description: "",
            distance: distance(c, log.distanceKm),
            duration: log.durationMillis,
            hasStartTime: true,
            isFavorite: false,
            logId: log.logId,
            name: log.activityName,
            startDate: date,
            startTime: log.startTime.slice(11, 16),
            steps: 0
          }
        }, 201)
      }))
  ),
  HttpRouter.del(
    `${U}/activities/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity", write: true }, (c) => {
      const id = Number(c.params.logId)
      const writes = c.state.data.of(c.user.userId)
      const index = writes.activities.findIndex((a) => a.logId === id)
      if (index !== -1) {
        writes.activities.splice(index, 1)
        return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
      }
      // a generated workout: find it within the user's history
      for (let d = today(c.state, c.user.userId); d >= c.user.memberSince; d = DataGenerator.addDays(d, -1)) {
        if (DataGenerator.workouts(c.seed, c.user.userId, d).some((w) => w.logId === id) && !writes.deleted.has(id)) {
          writes.deleted.add(id)
          return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
        }
      }
      return Effect.fail(notFound(`Activity log ${c.params.logId} not found.`))
    })
  ),
  HttpRouter.get(
    `${U}/activities/heart/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "heartrate" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period), (dates) =>
        Http.json({ "activities-heart": dates.map((d) => heartDay(c, d)) })))
  ),
  ...[`${U}/activities/heart/date/:date/1d/:detail.json`, `${U}/activities/heart/date/:date/1d/:detail/time/:start/:end.json`].map(
    (path) => HttpRouter.get(path as `/${string}`, heartIntraday)
  ),
  HttpRouter.get(
    `${U}/activities/:resource/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "activity" }, (c) =>
      Effect.gen(function*() {
        const resource = c.params.resource ?? ""
        const value = ACTIVITY_RESOURCES[resource]
        if (value === undefined) return yield* Effect.fail(notFound(`Unknown activity resource: ${resource}.`))
        const dates = yield* range(c, c.params.date, c.params.period)
        return Http.json({
          [`activities-${resource}`]: dates.map((d) => ({
            dateTime: d,
            value: toJsonNumberString(value(DataGenerator.dailyActivity(c.seed, c.user.userId, d), c))
          }))
        })
      }))
  ),
  ...[`${U}/activities/:resource/date/:date/1d/:detail.json`, `${U}/activities/:resource/date/:date/1d/:detail/time/:start/:end.json`].map(
    (path) => HttpRouter.get(path as `/${string}`, activityIntraday)
  ),
  // sleep
  HttpRouter.get(
    `${U}/sleep/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "sleep" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => {
        const sleeps = sleepsOf(c, date)
        return Http.json({ sleep: sleeps, summary: sleepSummary(sleeps) })
      }))
  ),
  HttpRouter.get(
    `${U}/sleep/date/:date/:end.json`,
    dataHandler({ versions: ["1.2"], scope: "sleep" }, (c) =>
      Effect.gen(function*() {
        const start = yield* c.date(c.params.date)
        const end = yield* c.date(c.params.end, "end-date")
        if (end < start) return yield* Effect.fail(validation("The end date is before the start date.", "end-date"))
        const dates = DataGenerator.datesBetween(start, end)
        if (dates.length > 100) return yield* Effect.fail(validation("The date range is longer than 100 days.", "end-date"))
        return Http.json({ sleep: dates.flatMap((d) => sleepsOf(c, d)).reverse() })
      }))
  ),
  HttpRouter.get(
    `${U}/sleep/list.json`,
    dataHandler({ versions: ["1.2"], scope: "sleep" }, (c) =>
      paginated(c, "/sleep/list.json", "sleep", (date) => sleepsOf(c, date), (s) => s.startTime))
  ),
  HttpRouter.post(
    `${U}/sleep.json`,
    dataHandler({ versions: ANY_VERSION, scope: "sleep", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const date = yield* c.date(fields.date ?? "", "date")
        const start = yield* timeField(fields, "startTime")
        const duration = yield* numberField(fields, "duration", { min: 60_000 })
        const absStart = DataGenerator.dayNumber(date) * 1440 + start
        const absEnd = absStart + Math.round(duration / 60_000)
        const writes = c.state.data.of(c.user.userId)
        const overlaps = [DataGenerator.addDays(date, 1), date].some((d) => {
          const main = DataGenerator.sleep(c.seed, c.user.userId, d)
          if (writes.deleted.has(main.logId)) return false
          const s = DataGenerator.dayNumber(d) * 1440 + main.startMinute
          return absStart < s + main.timeInBed && s < absEnd
        }) || writes.sleeps.some((s) => absStart < s.startAbsMinute + s.durationMillis / 60_000 && s.startAbsMinute < absEnd)
        if (overlaps) return yield* Effect.fail(Http.fitbitError(409, "conflict", "The sleep log overlaps an existing sleep log."))
        const endDay = Math.floor(absEnd / 1440)
        const log = {
          logId: c.state.data.nextLogId(),
          dateOfSleep: DataGenerator.fromDayNumber(endDay),
          startAbsMinute: absStart,
          durationMillis: duration,
          startTime: DataGenerator.localDateTime(date, start),
          endTime: DataGenerator.localDateTime(date, absEnd - DataGenerator.dayNumber(date) * 1440)
        }
        writes.sleeps.push(log)
        return Http.json({ sleep: sleepsOf(c, log.dateOfSleep).find((s) => s.logId === log.logId) }, 201)
      }))
  ),
  HttpRouter.del(
    `${U}/sleep/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "sleep", write: true }, (c) => {
      const id = Number(c.params.logId)
      const writes = c.state.data.of(c.user.userId)
      const index = writes.sleeps.findIndex((s) => s.logId === id)
      if (index !== -1) {
        writes.sleeps.splice(index, 1)
        return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
      }
      for (let d = today(c.state, c.user.userId); d >= c.user.memberSince; d = DataGenerator.addDays(d, -1)) {
        if (DataGenerator.sleep(c.seed, c.user.userId, d).logId === id && !writes.deleted.has(id)) {
          writes.deleted.add(id)
          return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
        }
      }
      return Effect.fail(notFound(`Sleep log ${c.params.logId} not found.`))
    })
  ),
  // body
  HttpRouter.get(
    `${U}/body/log/weight/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => Http.json({ weight: weightLogs(c, [date]).map((w) => weightJson(c, w)) })))
  ),
  HttpRouter.get(
    `${U}/body/log/weight/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period, 31), (dates) =>
        Http.json({ weight: weightLogs(c, dates).map((w) => weightJson(c, w)) })))
  ),
  HttpRouter.get(
    `${U}/body/log/fat/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => Http.json({ fat: weightLogs(c, [date]).map(fatJson) })))
  ),
  HttpRouter.get(
    `${U}/body/log/fat/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period, 31), (dates) => Http.json({ fat: weightLogs(c, dates).map(fatJson) })))
  ),
  HttpRouter.get(
    `${U}/body/:resource/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight" }, (c) =>
      Effect.gen(function*() {
        const resource = c.params.resource ?? ""
        if (!["weight", "bmi", "fat"].includes(resource)) return yield* Effect.fail(notFound(`Unknown body resource: ${resource}.`))
        const dates = yield* range(c, c.params.date, c.params.period)
        // Days without a weigh-in carry the latest earlier one, as Fitbit's series do.
        const latest = (d: string): DataGenerator.WeightEntry | undefined => {
          for (let back = 0; back < 60; back++) {
            const w = DataGenerator.weight(c.seed, c.user.userId, DataGenerator.addDays(d, -back), c.user)
            if (w !== undefined) return w
          }
          return undefined
        }
        return Http.json({
          [`body-${resource}`]: dates.map((d) => {
            const w = latest(d)
            const v = w === undefined
              ? 0
              : resource === "weight"
              ? mass(c, w.weightKg)
              : resource === "bmi"
              ? w.bmi
              : w.fatPercent
            return { dateTime: d, value: toJsonNumberString(v) }
          })
        })
      }))
  ),
  HttpRouter.post(
    `${U}/body/log/weight.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const weight = yield* numberField(fields, "weight", { min: 0.1 })
        const date = yield* c.date(fields.date ?? "", "date")
        const minute = fields.time === undefined ? 12 * 60 : yield* timeField(fields, "time")
        const log = {
          logId: c.state.data.nextLogId(),
          date,
          time: DataGenerator.clockTime(minute),
          weightKg: r2(c.imperial ? weight / LB_PER_KG : weight)
        }
        c.state.data.of(c.user.userId).weights.push(log)
        const entry = weightLogs(c, [date]).find((w) => w.logId === log.logId)!
        return Http.json({ weightLog: weightJson(c, entry) }, 201)
      }))
  ),
  HttpRouter.del(
    `${U}/body/log/weight/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "weight", write: true }, (c) => {
      const id = Number(c.params.logId)
      const writes = c.state.data.of(c.user.userId)
      const index = writes.weights.findIndex((w) => w.logId === id)
      if (index !== -1) {
        writes.weights.splice(index, 1)
        return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
      }
      for (let d = today(c.state, c.user.userId); d >= c.user.memberSince; d = DataGenerator.addDays(d, -1)) {
        if (DataGenerator.weight(c.seed, c.user.userId, d, c.user)?.logId === id && !writes.deleted.has(id)) {
          writes.deleted.add(id)
          return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
        }
      }
      return Effect.fail(notFound(`Weight log ${c.params.logId} not found.`))
    })
  ),
  // nutrition
  HttpRouter.get(
    `${U}/foods/log/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition" }, (c) =>
      Effect.map(c.date(c.params.date), (date) =>
        Http.json({
          foods: [],
          goals: { calories: 2200 },
          summary: {
            calories: 0,
            carbs: 0,
            fat: 0,
            fiber: 0,
            protein: 0,
            sodium: 0,
            water: mlOut(c, waterOf(c, date).reduce((n, w) => n + w.amountMl, 0))
          }
        })))
  ),
  HttpRouter.get(
    `${U}/foods/log/water/date/:date.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition" }, (c) =>
      Effect.map(c.date(c.params.date), (date) => {
        const logs = waterOf(c, date)
        return Http.json({
          summary: { water: mlOut(c, logs.reduce((n, w) => n + w.amountMl, 0)) },
          water: logs.map((w) => ({ amount: mlOut(c, w.amountMl), logId: w.logId }))
        })
      }))
  ),
  HttpRouter.get(
    `${U}/foods/log/water/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period), (dates) =>
        Http.json({
          "foods-log-water": dates.map((d) => ({
            dateTime: d,
            value: toJsonNumberString(mlOut(c, waterOf(c, d).reduce((n, w) => n + w.amountMl, 0)))
          }))
        })))
  ),
  HttpRouter.post(
    `${U}/foods/log/water.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition", write: true }, (c) =>
      Effect.gen(function*() {
        const fields = yield* c.body
        const amount = yield* numberField(fields, "amount", { min: 0 })
        const date = yield* c.date(fields.date ?? "", "date")
        const unit = fields.unit ?? (c.imperial ? "fl oz" : "ml")
        const factor = WATER_UNITS[unit]
        if (factor === undefined) return yield* Effect.fail(validation(`Invalid unit: ${unit} (ml, fl oz or cup).`, "unit"))
        const log = { logId: c.state.data.nextLogId(), date, amountMl: r2(amount * factor) }
        c.state.data.of(c.user.userId).water.push(log)
        return Http.json({ waterLog: { amount: mlOut(c, log.amountMl), logId: log.logId } }, 201)
      }))
  ),
  ...(["POST", "PUT"] as const).map((method) =>
    HttpRouter.route(method)(
      `${U}/foods/log/water/:logId.json`,
      dataHandler({ versions: ANY_VERSION, scope: "nutrition", write: true }, (c) =>
        Effect.gen(function*() {
          const log = c.state.data.of(c.user.userId).water.find((w) => String(w.logId) === c.params.logId)
          if (log === undefined) return yield* Effect.fail(notFound(`Water log ${c.params.logId} not found.`))
          const fields = yield* c.body
          const amount = yield* numberField(fields, "amount", { min: 0 })
          const factor = WATER_UNITS[fields.unit ?? (c.imperial ? "fl oz" : "ml")]
          if (factor === undefined) return yield* Effect.fail(validation(`Invalid unit: ${fields.unit}.`, "unit"))
          log.amountMl = r2(amount * factor)
          return Http.json({ waterLog: { amount: mlOut(c, log.amountMl), logId: log.logId } })
        }))
    )
  ),
  HttpRouter.del(
    `${U}/foods/log/water/:logId.json`,
    dataHandler({ versions: ANY_VERSION, scope: "nutrition", write: true }, (c) => {
      const water = c.state.data.of(c.user.userId).water
      const index = water.findIndex((w) => String(w.logId) === c.params.logId)
      if (index === -1) return Effect.fail(notFound(`Water log ${c.params.logId} not found.`))
      water.splice(index, 1)
      return Effect.succeed(HttpServerResponse.empty({ status: 204 }))
    })
  ),
  HttpRouter.get(
    "/:version/foods/search.json",
    dataHandler({ versions: ANY_VERSION, scope: "nutrition", userScoped: false }, (c) => {
      const q = (c.query.query ?? "").trim().toLowerCase()
      if (q === "") return Effect.fail(validation("Missing parameter: query", "query"))
      return Effect.succeed(Http.json({
        foods: FOODS.filter((f) => f.toLowerCase().includes(q)).map((name) => ({
          brand: "",
          calories: 50 + (DataGenerator.hash(name) % 300),
          defaultServingSize: 1,
          defaultUnit: { id: 304, name: "serving", plural: "servings" },
          foodId: 10_000 + (DataGenerator.hash(name) % 90_000),
          name
        }))
      }))
    })
  ),
  withSubscriptions
]

/**
 * The data routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const router: HttpRouter.HttpRouter<never, EmulatorState> = routes.reduce(
  (self, step) => step(self),
  HttpRouter.empty as HttpRouter.HttpRouter<never, EmulatorState>
)

const weightJson = (c: CallContext, w: DataGenerator.WeightEntry) => ({
  bmi: w.bmi,
  date: w.date,
  fat: w.fatPercent,
  logId: w.logId,
  source: "Aria",
  time: w.time,
  weight: mass(c, w.weightKg)
})

const fatJson = (w: DataGenerator.WeightEntry) => ({ date: w.date, fat: w.fatPercent, logId: w.logId, source: "Aria", time: w.time })
