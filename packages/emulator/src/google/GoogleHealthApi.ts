/**
 * The Google Health API v4 resources as the emulator serves them under `/v4/`: `users/{user}`
 * (identity, profile, settings), `users/{user}/dataTypes/{dataType}/dataPoints` (list with
 * filters and page tokens, get, create, patch, `:batchDelete`, `:rollUp`, `:dailyRollUp`,
 * `:reconcile`), `users/{user}/pairedDevices`, and `projects/{project}/subscribers` with their
 * `subscriptions` (creating or re-pointing a subscriber verifies its endpoint for real). Data
 * comes from the same generator as the Fitbit routes. Errors are Google's
 * `{"error": {"code", "message", "status", "details"}}`; a spent quota answers 429
 * `RESOURCE_EXHAUSTED` with `Retry-After`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { Buffer } from "node:buffer"
import * as DataGenerator from "../DataGenerator.js"
import { EmulatorState, type State, today } from "../EmulatorState.js"
import type * as Grants from "../Grants.js"
import * as Http from "../Http.js"
import type * as Registry from "../Registry.js"
import * as GoogleData from "./GoogleData.js"
import { SCOPE_PREFIX } from "./GoogleOAuth.js"
import * as GoogleState from "./GoogleState.js"
import { verifyEndpoint } from "./SubscriberVerification.js"

type Reply = HttpServerResponse.HttpServerResponse

/**
 * Google's error answer; `reason` becomes a `google.rpc.ErrorInfo` detail.
 *
 * @since 0.1.0
 * @category responses
 */
export const googleError = (
  code: number,
  status: string,
  message: string,
  options: { readonly reason?: string | undefined; readonly headers?: Record<string, string> | undefined } = {}
): Reply =>
  Http.json(
    {
      error: {
        code,
        message,
        status,
        ...(options.reason === undefined ? {} : {
          details: [{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: options.reason,
            domain: "googleapis.com",
            metadata: { service: "health.googleapis.com" }
          }]
        })
      }
    },
    code,
    options.headers ?? {}
  )

const invalid = (message: string) => googleError(400, "INVALID_ARGUMENT", message)
const notFound = (message = "Requested entity was not found.") => googleError(404, "NOT_FOUND", message)
const precondition = (message: string) => googleError(400, "FAILED_PRECONDITION", message)

interface Caller {
  readonly state: State
  readonly google: GoogleState.GoogleState
  readonly grant: Grants.Grant
  readonly user: Registry.User
  readonly healthUserId: string
}

const hasScope = (grant: Grants.Grant, category: string, mode: "read" | "write"): boolean =>
  grant.scopes.includes(SCOPE_PREFIX + category) ||
  grant.scopes.includes(SCOPE_PREFIX + category + (mode === "read" ? ".readonly" : ".writeonly"))

const requireScope = (caller: Caller, category: string, mode: "read" | "write"): Effect.Effect<void, Reply> =>
  hasScope(caller.grant, category, mode)
    ? Effect.void
    : Effect.fail(googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", {
      reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    }))

const requireAnyScope = (caller: Caller): Effect.Effect<void, Reply> =>
  caller.grant.scopes.some((s) => s.startsWith(SCOPE_PREFIX))
    ? Effect.void
    : Effect.fail(googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", {
      reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    }))

const ACTIVITY = new Set([
  "steps",
  "distance",
  "active-zone-minutes",
  "exercise",
  "floors",
  "altitude",
  "active-minutes",
  "activity-level",
  "active-energy-burned",
  "basal-energy-burned",
  "total-calories",
  "sedentary-period",
  "swim-lengths-data",
  "time-in-heart-rate-zone",
  "calories-in-heart-rate-zone",
  "run-vo2-max",
  "vo2-max",
  "daily-vo2-max"
])

/**
 * The scope family a data type belongs to.
 *
 * @since 0.1.0
 * @category scopes
 */
export const categoryOf = (dataType: string): string =>
  dataType === "sleep"
    ? "sleep"
    : ACTIVITY.has(dataType)
    ? "activity_and_fitness"
    : dataType === "nutrition-log" || dataType === "hydration-log"
    ? "nutrition"
    : "health_metrics_and_measurements"

const UNAUTHENTICATED =
  "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."
const WWW = { "www-authenticate": `Bearer realm="https://accounts.google.com/", error="invalid_token"` }

const authenticate = (
  state: State,
  headers: HttpServerRequest.HttpServerRequest["headers"]
): Effect.Effect<Caller, Reply> => {
  const bearer = Http.bearerToken(headers)
  if (bearer === undefined) {
    return Effect.fail(googleError(401, "UNAUTHENTICATED", UNAUTHENTICATED, { reason: "CREDENTIALS_MISSING", headers: WWW }))
  }
  const found = state.grants.lookupAccess(bearer)
  if (found._tag === "Expired") {
    return Effect.fail(googleError(401, "UNAUTHENTICATED", UNAUTHENTICATED, { reason: "ACCESS_TOKEN_EXPIRED", headers: WWW }))
  }
  if (found._tag !== "Active" || found.token.grant.provider !== "google") {
    return Effect.fail(googleError(401, "UNAUTHENTICATED", UNAUTHENTICATED, { headers: WWW }))
  }
  const grant = found.token.grant
  const user = state.registry.users.get(grant.userId)
  if (user === undefined) return Effect.fail(notFound(`User not found.`))
  const decision = state.rateLimiter.take(`google:${grant.clientId}`, grant.userId)
  if (!decision.allowed) {
    state.counters.bump("rateLimited")
    return Effect.fail(googleError(
      429,
      "RESOURCE_EXHAUSTED",
      "Quota exceeded for quota metric 'Requests' and limit 'Requests per user per hour' of service 'health.googleapis.com'.",
      { reason: "RATE_LIMIT_EXCEEDED", headers: { "retry-after": String(decision.resetSeconds) } }
    ))
  }
  return Effect.succeed({ state, google: GoogleState.of(state), grant, user, healthUserId: GoogleData.healthUserIdOf(user.userId) })
}

const checkUser = (caller: Caller, segment: string): Effect.Effect<void, Reply> =>
  segment === "me" || segment === caller.healthUserId
    ? Effect.void
    : Effect.fail(googleError(403, "PERMISSION_DENIED", "The caller does not have permission to access this user's data."))

const readJson: Effect.Effect<Record<string, unknown>, Reply, HttpServerRequest.HttpServerRequest> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  if (text.trim() === "") return {}
  try {
    const value = JSON.parse(text)
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // fall through
  }
  return yield* Effect.fail(invalid("Invalid JSON payload received."))
})

// ---------------------------------------------------------------------------------------------
// pagination

const pageTokenOf = (offset: number, key: string): string =>
  Buffer.from(JSON.stringify({ o: offset, k: DataGenerator.hash(key) })).toString("base64url")

const offsetOf = (token: string | undefined, key: string): Effect.Effect<number, Reply> => {
  if (token === undefined || token === "") return Effect.succeed(0)
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; k?: unknown }
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.k === DataGenerator.hash(key)) {
      return Effect.succeed(parsed.o)
    }
  } catch {
    // fall through
  }
  return Effect.fail(invalid("Invalid page token."))
}

const pageSizeOf = (raw: unknown, defaults: { readonly size: number; readonly max: number }): Effect.Effect<number, Reply> => {
  if (raw === undefined || raw === "" || raw === 0 || raw === "0") return Effect.succeed(defaults.size)
  const n = typeof raw === "number" ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : Number.NaN
  if (!Number.isInteger(n) || n < 0) return Effect.fail(invalid("page_size must be a non-negative integer."))
  return Effect.succeed(Math.min(n, defaults.max))
}

const paginate = <A>(
  items: ReadonlyArray<A>,
  options: { readonly token: string | undefined; readonly size: number; readonly key: string }
): Effect.Effect<{ readonly page: ReadonlyArray<A>; readonly nextPageToken?: string }, Reply> =>
  Effect.map(offsetOf(options.token, options.key), (offset) => {
    const page = items.slice(offset, offset + options.size)
    const next = offset + options.size
    return next < items.length ? { page, nextPageToken: pageTokenOf(next, options.key) } : { page }
  })

// ---------------------------------------------------------------------------------------------
// data points

const FIELD: Record<string, string> = {}
const fieldOf = (dataType: string): string =>
  FIELD[dataType] ??= dataType.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

const IDENTIFIABLE = new Set(["sleep", "exercise", "weight", "body-fat"])

interface Clause {
  readonly field: string
  readonly op: ">=" | "<"
  readonly value: string
}

const parseFilter = (dataType: string, filter: string | undefined): Effect.Effect<ReadonlyArray<Clause>, Reply> => {
  if (filter === undefined || filter.trim() === "") return Effect.succeed([])
  const snake = dataType.replace(/-/g, "_")
  const clauses: Array<Clause> = []
  for (const part of filter.split(/\s+AND\s+/)) {
    const match = /^\s*\(?\s*([a-z_.]+)\s*(>=|<)\s*"([^"]*)"\s*\)?\s*$/.exec(part)
    if (match === null) return Effect.fail(invalid(`Invalid filter: ${filter}`))
    const field = match[1]!
    if (!field.startsWith(`${snake}.`)) return Effect.fail(invalid(`Invalid filter field ${field} for data type ${dataType}.`))
    clauses.push({ field: field.slice(snake.length + 1), op: match[2] as Clause["op"], value: match[3]! })
  }
  return Effect.succeed(clauses)
}

type Selector = { readonly kind: "civil"; readonly get: (p: GoogleData.Point) => string } | {
  readonly kind: "time"
  readonly get: (p: GoogleData.Point) => number
} | { readonly kind: "date"; readonly get: (p: GoogleData.Point) => string }

const SELECTORS: Record<string, Selector> = {
  "interval.civil_start_time": { kind: "civil", get: (p) => p.civilStart },
  "interval.start_time": { kind: "time", get: (p) => p.start },
  "interval.civil_end_time": { kind: "civil", get: (p) => p.civilEnd },
  "interval.end_time": { kind: "time", get: (p) => p.end },
  "sample_time.civil_time": { kind: "civil", get: (p) => p.civilStart },
  "sample_time.physical_time": { kind: "time", get: (p) => p.start },
  "date": { kind: "date", get: (p) => p.date }
}

interface Compiled {
  readonly test: (p: GoogleData.Point) => boolean
  readonly from?: string
  readonly to?: string
}

const compile = (caller: Caller, clauses: ReadonlyArray<Clause>): Effect.Effect<Compiled, Reply> =>
  Effect.gen(function*() {
    const tests: Array<(p: GoogleData.Point) => boolean> = []
    let from: string | undefined
    let to: string | undefined
    const offset = caller.user.offsetFromUTCMillis
    for (const clause of clauses) {
      const selector = SELECTORS[clause.field]
      if (selector === undefined) return yield* Effect.fail(invalid(`Unsupported filter field ${clause.field}.`))
      let date: string
      if (selector.kind === "time") {
        const at = Date.parse(clause.value)
        if (!/^\d{4}-\d{2}-\d{2}T/.test(clause.value) || Number.isNaN(at)) {
          return yield* Effect.fail(invalid(`Invalid timestamp ${clause.value}; expected RFC 3339.`))
        }
        const get = selector.get
        tests.push(clause.op === ">=" ? (p) => get(p) >= at : (p) => get(p) < at)
        date = GoogleData.civil(at, offset).slice(0, 10)
      } else if (selector.kind === "civil") {
        const literal = GoogleData.normaliseCivil(clause.value)
        if (literal === undefined) {
          return yield* Effect.fail(invalid(`Invalid civil time ${clause.value}; expected YYYY-MM-DD[THH:mm:ss].`))
        }
        const get = selector.get
        tests.push(clause.op === ">=" ? (p) => get(p) >= literal : (p) => get(p) < literal)
        date = literal.slice(0, 10)
      } else {
        if (!DataGenerator.isDate(clause.value)) {
          return yield* Effect.fail(invalid(`Invalid date ${clause.value}; expected YYYY-MM-DD.`))
        }
        const get = selector.get
        const literal = clause.value
        tests.push(clause.op === ">=" ? (p) => get(p) >= literal : (p) => get(p) < literal)
        date = literal
      }
      if (clause.op === ">=") from = from === undefined || date > from ? date : from
      else to = to === undefined || date < to ? date : to
    }
    return { test: (p) => tests.every((t) => t(p)), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) }
  })

const MAX_DAYS = 400

/** Parses a stored or created point's keys from its JSON. */
const pointOf = (dataType: string, json: Record<string, unknown>, user: Registry.User): GoogleData.Point | undefined => {
  const value = json[fieldOf(dataType)] as Record<string, any> | undefined
  if (typeof value !== "object" || value === null) return undefined
  const offset = user.offsetFromUTCMillis
  const name = typeof json.name === "string" ? json.name : undefined
  const id = name?.split("/").pop()
  const base = { dataType, json, ...(id === undefined ? {} : { id }) }
  if (typeof value.interval === "object" && value.interval !== null) {
    const start = Date.parse(value.interval.startTime)
    const end = Date.parse(value.interval.endTime)
    if (Number.isNaN(start) || Number.isNaN(end)) return undefined
    return { ...base, start, end, civilStart: GoogleData.civil(start, offset), civilEnd: GoogleData.civil(end, offset), date: GoogleData.civil(start, offset).slice(0, 10) }
  }
  if (typeof value.sampleTime === "object" && value.sampleTime !== null) {
    const at = Date.parse(value.sampleTime.physicalTime)
    if (Number.isNaN(at)) return undefined
    const local = GoogleData.civil(at, offset)
    return { ...base, start: at, end: at, civilStart: local, civilEnd: local, date: local.slice(0, 10) }
  }
  if (typeof value.date === "object" && value.date !== null) {
    const d = value.date as { year?: number; month?: number; day?: number }
    const date = `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`
    if (!DataGenerator.isDate(date)) return undefined
    const start = GoogleData.physical(`${date}T00:00:00`, offset)
    return { ...base, start, end: start, civilStart: `${date}T00:00:00`, civilEnd: `${date}T00:00:00`, date }
  }
  return undefined
}

/** Every point of a type for a user between two civil dates (inclusive), generated and created, less the deleted. */
const collect = (caller: Caller, dataType: string, from: string, to: string): Array<GoogleData.Point> => {
  const { google, state, user } = caller
  const deleted = google.deleted.get(user.userId) ?? new Set<string>()
  const created = google.created.get(user.userId) ?? new Map<string, Record<string, unknown>>()
  const out: Array<GoogleData.Point> = []
  const prefix = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/`
  for (const date of DataGenerator.datesBetween(from, to)) {
    for (const point of GoogleData.pointsOn(state.seed, user, dataType, date)) {
      const name = typeof point.json.name === "string" ? point.json.name : undefined
      if (name !== undefined && (deleted.has(name) || created.has(name))) continue
      out.push(point)
    }
  }
  for (const [name, json] of created) {
    if (!name.startsWith(prefix) || deleted.has(name)) continue
    const point = pointOf(dataType, json, user)
    if (point !== undefined && point.date >= DataGenerator.addDays(from, -1) && point.date <= DataGenerator.addDays(to, 1)) {
      out.push(point)
    }
  }
  return out
}

const queryPoints = (caller: Caller, dataType: string, filter: string | undefined) =>
  Effect.gen(function*() {
    const compiled = yield* compile(caller, yield* parseFilter(dataType, filter))
    const now = today(caller.state, caller.user.userId)
    const to = compiled.to ?? DataGenerator.addDays(now, 1)
    const from = compiled.from ?? DataGenerator.addDays(to, -7)
    if (to < from) return [] as Array<GoogleData.Point>
    if (DataGenerator.datesBetween(from, to).length > MAX_DAYS) {
      return yield* Effect.fail(invalid(`The filter's time range is longer than ${MAX_DAYS} days.`))
    }
    // Sleep is filed under the date it ends; a range's first night ends the day after `from`.
    const points = collect(caller, dataType, DataGenerator.addDays(from, -1), DataGenerator.addDays(to, 1))
      .filter(compiled.test)
    return points.sort((a, b) => b.start - a.start)
  })

const listPoints = (caller: Caller, dataType: string, query: Record<string, string>, reconcile: boolean, path: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "read")
    if (reconcile && query.dataSourceFamily !== undefined && !/^users\/me\/dataSourceFamilies\/(all-sources|google-wearables|google-sources)$/.test(query.dataSourceFamily)) {
      return yield* Effect.fail(invalid(`Invalid data source family ${query.dataSourceFamily}.`))
    }
    const session = GoogleData.isSession(dataType)
    const size = yield* pageSizeOf(query.pageSize, session ? { size: 25, max: 25 } : { size: 1440, max: 10000 })
    const points = yield* queryPoints(caller, dataType, query.filter)
    const { nextPageToken, page } = yield* paginate(points, {
      token: query.pageToken,
      size,
      key: `${path}|${query.filter ?? ""}|${size}|${query.dataSourceFamily ?? ""}`
    })
    const dataPoints = page.map((p) => {
      if (!reconcile) return p.json
      const { dataSource: _source, name, ...rest } = p.json
      return name === undefined ? rest : { dataPointName: name, ...rest }
    })
    return Http.json({ dataPoints, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
  })

const findPoint = (caller: Caller, dataType: string, id: string): GoogleData.Point | undefined => {
  const name = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/${id}`
  const deleted = caller.google.deleted.get(caller.user.userId)
  if (deleted?.has(name)) return undefined
  const created = caller.google.created.get(caller.user.userId)?.get(name)
  if (created !== undefined) return pointOf(dataType, created, caller.user)
  if (!IDENTIFIABLE.has(dataType)) return undefined
  const now = today(caller.state, caller.user.userId)
  for (let back = -1; back <= 400; back++) {
    const date = DataGenerator.addDays(now, -back)
    if (date < caller.user.memberSince) break
    const hit = GoogleData.pointsOn(caller.state.seed, caller.user, dataType, date).find((p) => p.id === id)
    if (hit !== undefined) return hit
  }
  return undefined
}

const DATA_POINT_ID = /^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$/

const operation = (caller: Caller, response: Record<string, unknown>) => ({
  name: `operations/${caller.google.nextId++}`,
  done: true,
  response
})

const validatePayload = (dataType: string, body: Record<string, unknown>, user: Registry.User): Effect.Effect<void, Reply> => {
  const field = fieldOf(dataType)
  if (typeof body[field] !== "object" || body[field] === null) {
    return Effect.fail(invalid(`The data point must hold a ${field} value for data type ${dataType}.`))
  }
  return pointOf(dataType, body, user) === undefined
    ? Effect.fail(invalid(`The ${field} value needs a valid interval, sampleTime or date.`))
    : Effect.void
}

const createPoint = (caller: Caller, dataType: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "write")
    const body = yield* readJson
    yield* validatePayload(dataType, body, caller.user)
    const prefix = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/`
    let id: string
    if (typeof body.name === "string" && body.name !== "") {
      id = body.name.split("/").pop()!
      if (!DATA_POINT_ID.test(id)) return yield* Effect.fail(invalid("A client-provided data point id must be 4-63 lowercase letters, digits or hyphens."))
    } else {
      id = `emu-${String(caller.google.nextId++).padStart(6, "0")}-${DataGenerator.hash(JSON.stringify(body)).toString(16)}`
    }
    const name = prefix + id
    const created = GoogleState.perUser(caller.google.created, caller.user.userId, () => new Map())
    if (created.has(name) || findPoint(caller, dataType, id) !== undefined) {
      return yield* Effect.fail(googleError(409, "ALREADY_EXISTS", `Data point ${name} already exists.`))
    }
    const { dataSource, name: _name, ...values } = body
    const stored = { name, dataSource: dataSource ?? { recordingMethod: "MANUAL", platform: "GOOGLE_WEB_API" }, ...values }
    created.set(name, stored)
    caller.google.deleted.get(caller.user.userId)?.delete(name)
    caller.state.counters.bump("writes")
    return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.DataPoint", ...stored }))
  })

const patchPoint = (caller: Caller, dataType: string, id: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "write")
    const body = yield* readJson
    if (findPoint(caller, dataType, id) === undefined) return yield* Effect.fail(notFound())
    yield* validatePayload(dataType, body, caller.user)
    const name = `users/${caller.healthUserId}/dataTypes/${dataType}/dataPoints/${id}`
    const { dataSource, name: _name, ...values } = body
    const stored = { name, dataSource: dataSource ?? { recordingMethod: "MANUAL", platform: "GOOGLE_WEB_API" }, ...values }
    GoogleState.perUser(caller.google.created, caller.user.userId, () => new Map()).set(name, stored)
    caller.state.counters.bump("writes")
    return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.DataPoint", ...stored }))
  })

const NAME = /^users\/([^/]+)\/dataTypes\/([^/]+)\/dataPoints\/([^/]+)$/

const batchDelete = (caller: Caller, parentType: string) =>
  Effect.gen(function*() {
    const body = yield* readJson
    const names = body.names
    if (!Array.isArray(names) || names.length === 0 || names.length > 10000 || !names.every((n) => typeof n === "string")) {
      return yield* Effect.fail(invalid("names must hold 1 to 10000 data point names."))
    }
    const resolved: Array<string> = []
    for (const raw of names as Array<string>) {
      const match = NAME.exec(raw)
      if (match === null) return yield* Effect.fail(invalid(`Invalid data point name ${raw}.`))
      yield* checkUser(caller, match[1]!)
      if (parentType !== "-" && match[2] !== parentType) {
        return yield* Effect.fail(invalid(`Data point ${raw} is not in the parent collection.`))
      }
      yield* requireScope(caller, categoryOf(match[2]!), "write")
      if (findPoint(caller, match[2]!, match[3]!) === undefined) return yield* Effect.fail(notFound(`Data point ${raw} was not found.`))
      resolved.push(`users/${caller.healthUserId}/dataTypes/${match[2]}/dataPoints/${match[3]}`)
    }
    const deleted = GoogleState.perUser(caller.google.deleted, caller.user.userId, () => new Set<string>())
    const created = caller.google.created.get(caller.user.userId)
    for (const name of resolved) {
      deleted.add(name)
      created?.delete(name)
    }
    caller.state.counters.bump("writes")
    return Http.json(operation(caller, { "@type": "type.googleapis.com/google.protobuf.Empty" }))
  })

// ---------------------------------------------------------------------------------------------
// rollups

const num = (value: unknown): number => (typeof value === "number" ? value : typeof value === "string" ? Number(value) : 0)

const ROLLUPS: Record<string, (points: ReadonlyArray<GoogleData.Point>) => Record<string, unknown>> = {
  "steps": (ps) => ({ steps: { countSum: String(ps.reduce((n, p) => n + num((p.json.steps as any).count), 0)) } }),
  "distance": (ps) => ({
    distance: { millimetersSum: String(ps.reduce((n, p) => n + num((p.json.distance as any).millimeters), 0)) }
  }),
  "heart-rate": (ps) => {
    const values = ps.map((p) => num((p.json.heartRate as any).beatsPerMinute))
    return {
      heartRate: {
        beatsPerMinuteAvg: Math.round(values.reduce((a, b) => a + b, 0) / values.length * 10) / 10,
        beatsPerMinuteMin: Math.min(...values),
        beatsPerMinuteMax: Math.max(...values)
      }
    }
  },
  "weight": (ps) => ({
    weight: { weightGramsAvg: ps.reduce((n, p) => n + num((p.json.weight as any).weightGrams), 0) / ps.length }
  }),
  "body-fat": (ps) => ({
    bodyFat: { bodyFatPercentageAvg: ps.reduce((n, p) => n + num((p.json.bodyFat as any).percentage), 0) / ps.length }
  }),
  "active-zone-minutes": (ps) => {
    const sum = (zone: string) =>
      String(ps.filter((p) => (p.json.activeZoneMinutes as any).heartRateZone === zone)
        .reduce((n, p) => n + num((p.json.activeZoneMinutes as any).activeZoneMinutes), 0))
    return {
      activeZoneMinutes: {
        sumInFatBurnHeartZone: sum("FAT_BURN"),
        sumInCardioHeartZone: sum("CARDIO"),
        sumInPeakHeartZone: sum("PEAK")
      }
    }
  },
  "daily-resting-heart-rate": (ps) => {
    const values = ps.map((p) => num((p.json.dailyRestingHeartRate as any).beatsPerMinute))
    return { restingHeartRatePersonalRange: { beatsPerMinuteMin: Math.min(...values), beatsPerMinuteMax: Math.max(...values) } }
  }
}

const SHORT_RANGE = new Set(["heart-rate", "calories-in-heart-rate-zone", "active-minutes", "total-calories"])

const rollUp = (caller: Caller, dataType: string, path: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "read")
    const aggregate = ROLLUPS[dataType]
    if (aggregate === undefined) return yield* Effect.fail(invalid(`Roll-ups are not supported for data type ${dataType}.`))
    const body = yield* readJson
    const range = body.range as { startTime?: unknown; endTime?: unknown } | undefined
    const start = Date.parse(String(range?.startTime))
    const end = Date.parse(String(range?.endTime))
    if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
      return yield* Effect.fail(invalid("range must have RFC 3339 startTime before endTime."))
    }
    const maxDays = SHORT_RANGE.has(dataType) ? 14 : 90
    if (end - start > maxDays * 86_400_000) return yield* Effect.fail(invalid(`The range of ${dataType} may span at most ${maxDays} days.`))
    const window = /^(\d+(?:\.\d+)?)s$/.exec(String(body.windowSize ?? ""))
    const windowMillis = window === null ? Number.NaN : Number(window[1]) * 1000
    if (!(windowMillis >= 1000)) return yield* Effect.fail(invalid("windowSize must be a duration of at least 1s, like \"3600s\"."))
    const offset = caller.user.offsetFromUTCMillis
    const points = collect(
      caller,
      dataType,
      GoogleData.civil(start, offset).slice(0, 10),
      GoogleData.civil(end, offset).slice(0, 10)
    ).filter((p) => p.start >= start && p.start < end)
    const windows: Array<Record<string, unknown>> = []
    for (let w = start; w < end; w += windowMillis) {
      const inside = points.filter((p) => p.start >= w && p.start < w + windowMillis)
      if (inside.length === 0) continue
      windows.push({
        startTime: GoogleData.rfc3339(w),
        endTime: GoogleData.rfc3339(Math.min(end, w + windowMillis)),
        ...aggregate(inside)
      })
    }
    const size = yield* pageSizeOf(body.pageSize, { size: 1440, max: 10000 })
    const { nextPageToken, page } = yield* paginate(windows, {
      token: typeof body.pageToken === "string" ? body.pageToken : undefined,
      size,
      key: `${path}|${start}|${end}|${windowMillis}|${size}`
    })
    return Http.json({ rollupDataPoints: page, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
  })

const civilDateOf = (value: unknown): string | undefined => {
  const date = (value as { date?: { year?: unknown; month?: unknown; day?: unknown } } | undefined)?.date
  if (date === undefined) return undefined
  const text = `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`
  return DataGenerator.isDate(text) ? text : undefined
}

const dailyRollUp = (caller: Caller, dataType: string) =>
  Effect.gen(function*() {
    yield* requireScope(caller, categoryOf(dataType), "read")
    const aggregate = ROLLUPS[dataType]
    if (aggregate === undefined) return yield* Effect.fail(invalid(`Roll-ups are not supported for data type ${dataType}.`))
    const body = yield* readJson
    const range = body.range as { start?: unknown; end?: unknown } | undefined
    const from = civilDateOf(range?.start)
    const to = civilDateOf(range?.end)
    if (from === undefined || to === undefined || to <= from) {
      return yield* Effect.fail(invalid("range must have a civil start date before its end date."))
    }
    const days = body.windowSizeDays === undefined ? 1 : num(body.windowSizeDays)
    if (!(Number.isInteger(days) && days >= 1)) return yield* Effect.fail(invalid("windowSizeDays must be a positive integer."))
    const span = DataGenerator.dayNumber(to) - DataGenerator.dayNumber(from)
    const maxDays = SHORT_RANGE.has(dataType) ? 14 : 90
    if (span > maxDays) return yield* Effect.fail(invalid(`The range of ${dataType} may span at most ${maxDays} days.`))
    const points = collect(caller, dataType, from, DataGenerator.addDays(to, -1)).filter((p) => p.date >= from && p.date < to)
    const windows: Array<Record<string, unknown>> = []
    for (let d = from; d < to; d = DataGenerator.addDays(d, days)) {
      const windowEnd = DataGenerator.addDays(d, days) < to ? DataGenerator.addDays(d, days) : to
      const inside = points.filter((p) => p.date >= d && p.date < windowEnd)
      if (inside.length === 0) continue
      windows.push({
        civilStartTime: { date: GoogleData.dateJson(d) },
        civilEndTime: { date: GoogleData.dateJson(windowEnd) },
        ...aggregate(inside)
      })
    }
    return Http.json({ rollupDataPoints: windows })
  })

// ---------------------------------------------------------------------------------------------
// users

const profileJson = (caller: Caller) => {
  const u = caller.user
  return {
    name: `users/${caller.healthUserId}/profile`,
    age: GoogleData.ageOn(u.dateOfBirth, caller.state.clock.now()),
    membershipStartDate: GoogleData.dateJson(u.memberSince),
    autoWalkingStrideLengthMm: Math.round(u.heightCm * 4.15),
    autoRunningStrideLengthMm: Math.round(u.heightCm * 5.2),
    ...caller.google.profileEdits.get(u.userId)
  }
}

const settingsJson = (caller: Caller) => {
  const u = caller.user
  const imperial = u.locale === "en_US"
  return {
    name: `users/${caller.healthUserId}/settings`,
    autoStrideEnabled: true,
    distanceUnit: imperial ? "MILES" : "KILOMETERS",
    weightUnit: imperial ? "POUNDS" : "KILOGRAMS",
    heightUnit: imperial ? "INCHES" : "CENTIMETERS",
    temperatureUnit: imperial ? "FAHRENHEIT" : "CELSIUS",
    waterUnit: imperial ? "FLUID_OUNCES" : "MILLILITERS",
    swimUnit: imperial ? "YARDS" : "METERS",
    glucoseUnit: "MG_DL",
    languageLocale: u.locale.replace("_", "-"),
    foodLanguageCode: u.locale.replace("_", "-"),
    strideLengthRunningType: "AUTO",
    strideLengthWalkingType: "AUTO",
    timeZone: u.timezone,
    utcOffset: GoogleData.offsetText(u.offsetFromUTCMillis),
    ...caller.google.settingsEdits.get(u.userId)
  }
}

const camel = (field: string): string => field.trim().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

const applyUpdate = (
  body: Record<string, unknown>,
  mask: string | undefined,
  allowed: Record<string, (value: unknown) => boolean>
): Effect.Effect<Record<string, unknown>, Reply> => {
  const fields = (mask === undefined || mask.trim() === "" ? Object.keys(body).filter((k) => k !== "name") : mask.split(","))
    .map(camel)
    .filter((f) => f !== "")
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    const check = allowed[field]
    if (check === undefined) return Effect.fail(invalid(`Field ${field} cannot be updated.`))
    if (!check(body[field])) return Effect.fail(invalid(`Invalid value for field ${field}.`))
    out[field] = body[field]
  }
  return Effect.succeed(out)
}

const stride = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0 && value < 10_000
const unit = (...values: ReadonlyArray<string>) => (value: unknown) => typeof value === "string" && values.includes(value)

const SETTINGS_UPDATES: Record<string, (value: unknown) => boolean> = {
  distanceUnit: unit("KILOMETERS", "MILES"),
  weightUnit: unit("KILOGRAMS", "POUNDS", "STONES"),
  heightUnit: unit("CENTIMETERS", "INCHES"),
  temperatureUnit: unit("CELSIUS", "FAHRENHEIT"),
  waterUnit: unit("MILLILITERS", "FLUID_OUNCES", "CUPS"),
  swimUnit: unit("METERS", "YARDS"),
  glucoseUnit: unit("MG_DL", "MMOL_L")
}

// ---------------------------------------------------------------------------------------------
// subscribers

const SUBSCRIBER_ID = /^[a-z]([a-z0-9-]{2,34}[a-z0-9])$/
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/

const subscriberJson = (s: GoogleState.StoredSubscriber) => ({
  name: s.name,
  endpointUri: s.endpointUri,
  endpointAuthorization: { secretSet: true },
  subscriberConfigs: s.subscriberConfigs,
  state: "ACTIVE",
  createTime: s.createTime,
  updateTime: s.updateTime
})

const endpointOk = (uri: unknown): uri is string => {
  if (typeof uri !== "string") return false
  try {
    const url = new URL(uri)
    return url.protocol === "https:" ||
      (url.protocol === "http:" && /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/.test(url.hostname))
  } catch {
    return false
  }
}

const configsOk = (configs: unknown): configs is GoogleState.StoredSubscriber["subscriberConfigs"] =>
  configs === undefined || (Array.isArray(configs) && configs.every((c) =>
    typeof c === "object" && c !== null &&
    (c.dataTypes === undefined || (Array.isArray(c.dataTypes) && c.dataTypes.every((d: unknown) => typeof d === "string"))) &&
    (c.subscriptionCreatePolicy === undefined || ["AUTOMATIC", "MANUAL", "SUBSCRIPTION_CREATE_POLICY_UNSPECIFIED"].includes(c.subscriptionCreatePolicy))
  ))

const verify = (uri: string, secret: string) =>
  Effect.flatMap(Effect.promise(() => verifyEndpoint(uri, secret)), (result) =>
    result.ok ? Effect.void : Effect.fail(precondition(`Endpoint verification failed: ${result.reason}.`)))

const subscribers = (caller: Caller, method: string, segments: ReadonlyArray<string>, query: Record<string, string>) =>
  Effect.gen(function*() {
    const project = segments[1]!
    if (!PROJECT.test(project)) return yield* Effect.fail(invalid(`Invalid project ${project}.`))
    const parent = `projects/${project}`
    const google = caller.google
    const now = GoogleData.rfc3339(caller.state.clock.now())
    // projects/{p}/subscribers
    if (segments.length === 3) {
      if (method === "GET") {
        const all = [...google.subscribers.values()].filter((s) => s.name.startsWith(`${parent}/subscribers/`))
        const size = yield* pageSizeOf(query.pageSize, { size: 50, max: 1000 })
        const { nextPageToken, page } = yield* paginate(all, { token: query.pageToken, size, key: `${parent}|${size}` })
        return Http.json({ subscribers: page.map(subscriberJson), totalSize: all.length, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
      }
      if (method === "POST") {
        const body = yield* readJson
        const id = query.subscriberId ?? `sub-${String(google.nextId++).padStart(6, "0")}`
        if (!SUBSCRIBER_ID.test(id)) return yield* Effect.fail(invalid("subscriberId must be 4-36 characters matching [a-z]([a-z0-9-]{2,34}[a-z0-9])."))
        const secret = (body.endpointAuthorization as { secret?: unknown } | undefined)?.secret
        if (!endpointOk(body.endpointUri)) return yield* Effect.fail(invalid("endpointUri must be a valid HTTPS URL."))
        if (typeof secret !== "string" || secret === "") return yield* Effect.fail(invalid("endpointAuthorization.secret is required."))
        if (!configsOk(body.subscriberConfigs)) return yield* Effect.fail(invalid("Invalid subscriberConfigs."))
        const name = `${parent}/subscribers/${id}`
        if (google.subscribers.has(name)) return yield* Effect.fail(googleError(409, "ALREADY_EXISTS", `Subscriber ${name} already exists.`))
        yield* verify(body.endpointUri, secret)
        const stored: GoogleState.StoredSubscriber = {
          name,
          endpointUri: body.endpointUri,
          secret,
          subscriberConfigs: (body.subscriberConfigs as GoogleState.StoredSubscriber["subscriberConfigs"] | undefined) ?? [],
          createTime: now,
          updateTime: now
        }
        google.subscribers.set(name, stored)
        return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.Subscriber", ...subscriberJson(stored) }))
      }
      return yield* Effect.fail(notFound("Method not found."))
    }
    const name = `${parent}/subscribers/${segments[3]}`
    const subscriber = google.subscribers.get(name)
    if (subscriber === undefined) return yield* Effect.fail(notFound(`Subscriber ${name} was not found.`))
    const subscriptionsOf = () => [...google.subscriptions.values()].filter((s) => s.name.startsWith(`${name}/subscriptions/`))
    if (segments.length === 4) {
      if (method === "PATCH") {
        const body = yield* readJson
        const mask = (query.updateMask ?? "endpoint_uri,subscriber_configs,endpoint_authorization").split(",").map((f) => f.trim())
        let uri = subscriber.endpointUri
        let secret = subscriber.secret
        let configs = subscriber.subscriberConfigs
        for (const field of mask) {
          if (field === "endpoint_uri" || field === "endpointUri") {
            if (body.endpointUri === undefined) continue
            if (!endpointOk(body.endpointUri)) return yield* Effect.fail(invalid("endpointUri must be a valid HTTPS URL."))
            uri = body.endpointUri
          } else if (field === "endpoint_authorization" || field === "endpointAuthorization") {
            const given = (body.endpointAuthorization as { secret?: unknown } | undefined)?.secret
            if (given === undefined) continue
            if (typeof given !== "string" || given === "") return yield* Effect.fail(invalid("endpointAuthorization.secret must be a non-empty string."))
            secret = given
          } else if (field === "subscriber_configs" || field === "subscriberConfigs") {
            if (body.subscriberConfigs === undefined) continue
            if (!configsOk(body.subscriberConfigs)) return yield* Effect.fail(invalid("Invalid subscriberConfigs."))
            configs = body.subscriberConfigs as GoogleState.StoredSubscriber["subscriberConfigs"]
          } else if (field !== "") {
            return yield* Effect.fail(invalid(`Field ${field} cannot be updated.`))
          }
        }
        if (uri !== subscriber.endpointUri || secret !== subscriber.secret) yield* verify(uri, secret)
        subscriber.endpointUri = uri
        subscriber.secret = secret
        subscriber.subscriberConfigs = configs
        subscriber.updateTime = now
        return Http.json(operation(caller, { "@type": "type.googleapis.com/google.devicesandservices.health.v4.Subscriber", ...subscriberJson(subscriber) }))
      }
      if (method === "DELETE") {
        const children = subscriptionsOf()
        if (children.length > 0 && query.force !== "true") {
          return yield* Effect.fail(precondition(`Subscriber ${name} has subscriptions; delete them first or pass force=true.`))
        }
        for (const child of children) google.subscriptions.delete(child.name)
        google.subscribers.delete(name)
        return Http.json(operation(caller, { "@type": "type.googleapis.com/google.protobuf.Empty" }))
      }
      if (method === "GET") return Http.json(subscriberJson(subscriber))
      return yield* Effect.fail(notFound("Method not found."))
    }
    if (segments[4] !== "subscriptions") return yield* Effect.fail(notFound("Method not found."))
    const subscribable = (dataType: string) => {
      const kebab = dataType.split("/").pop()!
      return subscriber.subscriberConfigs.some((c) => c.subscriptionCreatePolicy === "MANUAL" && (c.dataTypes ?? []).includes(kebab))
    }
    if (segments.length === 5) {
      if (method === "GET") {
        let all = subscriptionsOf()
        const filter = query.filter
        if (filter !== undefined && filter.trim() !== "") {
          const users = [...filter.matchAll(/user\s*=\s*"([^"]+)"/g)].map((m) => m[1]!)
          const types = [...filter.matchAll(/data_type\s*=\s*"([^"]+)"/g)].map((m) => m[1]!)
          if (users.length === 0 && types.length === 0) return yield* Effect.fail(invalid(`Invalid filter: ${filter}`))
          all = all.filter((s) =>
            (users.length === 0 || users.includes(s.user)) &&
            (types.length === 0 || s.dataTypes.some((d) => types.includes(d.split("/").pop()!)))
          )
        }
        const size = yield* pageSizeOf(query.pageSize, { size: 50, max: 1000 })
        const { nextPageToken, page } = yield* paginate(all, { token: query.pageToken, size, key: `${name}|${filter ?? ""}|${size}` })
        return Http.json({ subscriptions: page, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
      }
      if (method === "POST") {
        const body = yield* readJson
        const id = query.subscriptionId ?? `subscription-${String(google.nextId++).padStart(6, "0")}`
        if (!SUBSCRIBER_ID.test(id)) return yield* Effect.fail(invalid("subscriptionId must be 4-36 characters matching [a-z]([a-z0-9-]{2,34}[a-z0-9])."))
        const user = body.user
        const match = typeof user === "string" ? /^users\/([A-Za-z0-9-]{1,63})$/.exec(user) : null
        if (match === null || GoogleData.userOfHealthId(caller.state.registry.users, match[1]!) === undefined) {
          return yield* Effect.fail(invalid("user must name a known user as users/{healthUserId}."))
        }
        const dataTypes = body.dataTypes ?? []
        if (!Array.isArray(dataTypes) || !dataTypes.every((d) => typeof d === "string")) {
          return yield* Effect.fail(invalid("dataTypes must be a list of strings."))
        }
        const refused = (dataTypes as Array<string>).find((d) => !subscribable(d))
        if (refused !== undefined) {
          return yield* Effect.fail(precondition(`The subscriber has no MANUAL subscription policy for data type ${refused}.`))
        }
        const subscriptionName = `${name}/subscriptions/${id}`
        if (google.subscriptions.has(subscriptionName)) {
          return yield* Effect.fail(googleError(409, "ALREADY_EXISTS", `Subscription ${subscriptionName} already exists.`))
        }
        const stored: GoogleState.StoredSubscription = { name: subscriptionName, user: user as string, dataTypes: dataTypes as Array<string> }
        google.subscriptions.set(subscriptionName, stored)
        return Http.json(stored)
      }
      return yield* Effect.fail(notFound("Method not found."))
    }
    const subscriptionName = `${name}/subscriptions/${segments[5]}`
    const subscription = google.subscriptions.get(subscriptionName)
    if (segments.length !== 6 || subscription === undefined) return yield* Effect.fail(notFound(`Subscription ${subscriptionName} was not found.`))
    if (method === "PATCH") {
      const body = yield* readJson
      const dataTypes = body.dataTypes
      if (!Array.isArray(dataTypes) || !dataTypes.every((d) => typeof d === "string")) {
        return yield* Effect.fail(invalid("dataTypes must be a list of strings."))
      }
      const refused = (dataTypes as Array<string>).find((d) => !subscribable(d))
      if (refused !== undefined) {
        return yield* Effect.fail(precondition(`The subscriber has no MANUAL subscription policy for data type ${refused}.`))
      }
      subscription.dataTypes = dataTypes as Array<string>
      return Http.json(subscription)
    }
    if (method === "DELETE") {
      google.subscriptions.delete(subscriptionName)
      return Http.json({})
    }
    if (method === "GET") return Http.json(subscription)
    return yield* Effect.fail(notFound("Method not found."))
  })

// ---------------------------------------------------------------------------------------------
// dispatch

const DATA_TYPE = /^[a-z][a-z0-9-]{0,62}$/

const dispatch = Effect.gen(function*() {
  const state = yield* EmulatorState
  const request = yield* HttpServerRequest.HttpServerRequest
  const method = request.method
  const path = Http.pathOf(request.url)
  const query = yield* Http.query
  const caller = yield* authenticate(state, request.headers)
  const segments = path.slice("/v4/".length).split("/")
  if (segments.some((s) => s === "")) return yield* Effect.fail(notFound("Method not found."))

  if (segments[0] === "projects" && segments.length >= 3 && segments[2] === "subscribers") {
    return yield* subscribers(caller, method, segments, query)
  }
  if (segments[0] !== "users" || segments.length < 2) return yield* Effect.fail(notFound("Method not found."))
  yield* checkUser(caller, segments[1]!)
  const rest = segments.slice(2)
  const key = `${method} ${rest.join("/")}`

  if (key === "GET identity") {
    yield* requireAnyScope(caller)
    return Http.json({ name: `users/me/identity`, healthUserId: caller.healthUserId, legacyUserId: caller.user.userId })
  }
  if (key === "GET profile") {
    yield* requireScope(caller, "profile", "read")
    return Http.json(profileJson(caller))
  }
  if (key === "PATCH profile") {
    yield* requireScope(caller, "profile", "write")
    const update = yield* applyUpdate(yield* readJson, query.updateMask, {
      userConfiguredWalkingStrideLengthMm: stride,
      userConfiguredRunningStrideLengthMm: stride
    })
    Object.assign(GoogleState.perUser(caller.google.profileEdits, caller.user.userId, () => ({})), update)
    state.counters.bump("writes")
    return Http.json(profileJson(caller))
  }
  if (key === "GET settings") {
    yield* requireScope(caller, "settings", "read")
    return Http.json(settingsJson(caller))
  }
  if (key === "PATCH settings") {
    yield* requireScope(caller, "settings", "write")
    const update = yield* applyUpdate(yield* readJson, query.updateMask, SETTINGS_UPDATES)
    Object.assign(GoogleState.perUser(caller.google.settingsEdits, caller.user.userId, () => ({})), update)
    state.counters.bump("writes")
    return Http.json(settingsJson(caller))
  }
  if (rest[0] === "pairedDevices" && method === "GET") {
    yield* requireAnyScope(caller)
    const devices = GoogleData.pairedDevices(state.seed, caller.user, state.clock.now())
    if (rest.length === 1) {
      const size = yield* pageSizeOf(query.pageSize, { size: 5, max: 100 })
      const { nextPageToken, page } = yield* paginate(devices, { token: query.pageToken, size, key: `devices|${size}` })
      return Http.json({ pairedDevices: page, ...(nextPageToken === undefined ? {} : { nextPageToken }) })
    }
    const device = rest.length === 2 ? devices.find((d) => d.name.endsWith(`/pairedDevices/${rest[1]}`)) : undefined
    return device === undefined ? yield* Effect.fail(notFound(`Device ${rest[1]} was not found.`)) : Http.json(device)
  }
  if (rest[0] === "dataTypes" && rest.length >= 3) {
    const dataType = rest[1]!
    if (dataType !== "-" && !DATA_TYPE.test(dataType)) return yield* Effect.fail(invalid(`Invalid data type ${dataType}.`))
    const collection = rest[2]!
    const parentPath = `users/${caller.healthUserId}/dataTypes/${dataType}`
    if (rest.length === 3) {
      if (dataType === "-" && collection !== "dataPoints:batchDelete") return yield* Effect.fail(invalid("A data type is required."))
      switch (`${method} ${collection}`) {
        case "GET dataPoints":
          return yield* listPoints(caller, dataType, query, false, parentPath)
        case "GET dataPoints:reconcile":
          return yield* listPoints(caller, dataType, query, true, `${parentPath}:reconcile`)
        case "POST dataPoints":
          return yield* createPoint(caller, dataType)
        case "POST dataPoints:batchDelete":
          return yield* batchDelete(caller, dataType)
        case "POST dataPoints:rollUp":
          return yield* rollUp(caller, dataType, `${parentPath}:rollUp`)
        case "POST dataPoints:dailyRollUp":
          return yield* dailyRollUp(caller, dataType)
      }
    }
    if (rest.length === 4 && collection === "dataPoints") {
      const id = rest[3]!
      if (method === "GET") {
        yield* requireScope(caller, categoryOf(dataType), "read")
        const point = findPoint(caller, dataType, id)
        return point === undefined ? yield* Effect.fail(notFound(`Data point ${id} was not found.`)) : Http.json(point.json)
      }
      if (method === "PATCH") return yield* patchPoint(caller, dataType, id)
    }
  }
  return yield* Effect.fail(notFound("Method not found."))
})

/**
 * The `/v4/` routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const router = HttpRouter.empty.pipe(
  HttpRouter.get("/v4/*", Http.counted(Http.answer(dispatch))),
  HttpRouter.post("/v4/*", Http.counted(Http.answer(dispatch))),
  HttpRouter.patch("/v4/*", Http.counted(Http.answer(dispatch))),
  HttpRouter.del("/v4/*", Http.counted(Http.answer(dispatch)))
)
