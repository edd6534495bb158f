/**
 * Google's published rules for each Health API data type, as data: the channel that serves it,
 * the methods it supports, its page sizes, the fields its filters may name, how far a roll-up may
 * reach, whether a data-source family may be chosen, and the scope family it needs. The client
 * checks every call against this table before sending (`check`), the emulator serves the same
 * rules, and the README's data-type table is written from it. Sources: googleapis 188
 * (`health/v4.d.ts`, `v4beta.d.ts`: the `list` filter and page-size notes, the roll-up range
 * notes, the data-source family note) and developers.google.com/health (data types, scopes).
 *
 * @since 0.1.0
 */
import { InvalidInput } from "../Errors.js"
import type { Channel } from "./GoogleHealthConfig.js"

/**
 * A `users.dataTypes.dataPoints` method.
 *
 * @since 0.1.0
 * @category models
 */
export type Method =
  | "list"
  | "get"
  | "create"
  | "patch"
  | "batchDelete"
  | "reconcile"
  | "rollUp"
  | "dailyRollUp"
  | "exportExerciseTcx"

/**
 * How a data type's points are placed in time, which decides the fields its filters name:
 * `interval` (a start and an end), `sample` (one instant), `daily` (a calendar date), `session`
 * (a session interval, filtered by its civil start), `sleep` (filtered by its end, `OR` allowed),
 * `ecg` (filtered by its start, `>=` only), `catalogue` (no time), `rollup` (served only as roll-ups).
 *
 * @since 0.1.0
 * @category models
 */
export type Placement = "interval" | "sample" | "daily" | "session" | "sleep" | "ecg" | "catalogue" | "rollup"

/**
 * The scope family a data type needs (`googlehealth.{family}.readonly` to read, `.writeonly` to write).
 *
 * @since 0.1.0
 * @category models
 */
export type ScopeFamily =
  | "activity_and_fitness"
  | "health_metrics_and_measurements"
  | "sleep"
  | "nutrition"
  | "ecg"
  | "irn"
  | "reproductive_health"
  | "mindfulness"
  | "logged_symptoms"

/**
 * The filter a data type accepts: the fields (after `{data_type}.`), the comparisons, and whether
 * ranges may be joined with `OR`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FilterRule {
  readonly fields: ReadonlyArray<string>
  readonly operators: ReadonlyArray<">=" | "<">
  readonly or: boolean
}

/**
 * Google's rules for one data type.
 *
 * @since 0.1.0
 * @category models
 */
export interface DataTypeRule {
  /** The first channel that serves it: `v4` (both channels) or `v4beta` (the beta channel only). */
  readonly channel: Channel
  readonly placement: Placement
  readonly methods: ReadonlyArray<Method>
  /**
   * `dataPoints.list` and `:reconcile`: the page size when none is given, and the largest served
   * (Google truncates a larger one to it rather than refusing it).
   */
  readonly pageSize: { readonly default: number; readonly max: number }
  readonly filter: FilterRule
  /** The longest range one `:rollUp` or `:dailyRollUp` may cover, in days (absent: no roll-ups). */
  readonly rollUpDays?: number
  /** Whether `list` takes a `dataSourceFamily` (`:reconcile` always does). */
  readonly sourceFamily: boolean
  readonly scope: ScopeFamily
}

const AND: ReadonlyArray<">=" | "<"> = [">=", "<"]
const FILTERS: Readonly<Record<Placement, FilterRule>> = {
  interval: { fields: ["interval.start_time", "interval.civil_start_time"], operators: AND, or: false },
  sample: { fields: ["sample_time.physical_time", "sample_time.civil_time"], operators: AND, or: false },
  daily: { fields: ["date"], operators: AND, or: false },
  session: { fields: ["interval.civil_start_time"], operators: AND, or: false },
  sleep: { fields: ["interval.end_time", "interval.civil_end_time"], operators: AND, or: true },
  ecg: { fields: ["interval.start_time"], operators: [">="], or: false },
  catalogue: { fields: [], operators: [], or: false },
  rollup: { fields: ["interval.start_time", "interval.civil_start_time"], operators: AND, or: false }
}

const READ: ReadonlyArray<Method> = ["list", "reconcile"]
const NAMED: ReadonlyArray<Method> = ["list", "get", "reconcile"]
const WRITE: ReadonlyArray<Method> = ["list", "get", "reconcile", "create", "patch", "batchDelete"]
const ROLL: ReadonlyArray<Method> = ["rollUp", "dailyRollUp"]

/** Google's two roll-up reaches: 14 days for the fine-grained types, 90 for every other. */
const FINE_GRAINED = 14
const COARSE = 90

const rule = (
  placement: Placement,
  scope: ScopeFamily,
  methods: ReadonlyArray<Method>,
  extra: {
    readonly rollUpDays?: number
    /** Rolled up by civil days only (`:dailyRollUp`), not over physical windows. */
    readonly dailyOnly?: boolean
    readonly channel?: Channel
    readonly sourceFamily?: boolean
    readonly sessionPages?: boolean
  } = {}
): DataTypeRule => ({
  channel: extra.channel ?? "v4",
  placement,
  methods: extra.rollUpDays === undefined ? methods : [...methods, ...(extra.dailyOnly === true ? ["dailyRollUp" as const] : ROLL)],
  pageSize: extra.sessionPages === true ? { default: 25, max: 25 } : { default: 1440, max: 10000 },
  filter: FILTERS[placement],
  ...(extra.rollUpDays === undefined ? {} : { rollUpDays: extra.rollUpDays }),
  sourceFamily: extra.sourceFamily ?? true,
  scope
})

const A = "activity_and_fitness"
const H = "health_metrics_and_measurements"

/**
 * The rules of every data type this library knows, by data-type id.
 *
 * @since 0.1.0
 * @category validation
 */
export const RULES: Readonly<Record<string, DataTypeRule>> = {
  "steps": rule("interval", A, READ, { rollUpDays: COARSE }),
  "distance": rule("interval", A, READ, { rollUpDays: COARSE }),
  "floors": rule("interval", A, READ, { rollUpDays: COARSE }),
  "altitude": rule("interval", A, READ, { rollUpDays: COARSE }),
  "active-energy-burned": rule("interval", A, READ, { rollUpDays: COARSE }),
  "basal-energy-burned": rule("interval", A, READ),
  "active-minutes": rule("interval", A, READ, { rollUpDays: FINE_GRAINED }),
  "activity-level": rule("interval", A, READ, { rollUpDays: COARSE }),
  "active-zone-minutes": rule("interval", A, READ, { rollUpDays: COARSE }),
  "sedentary-period": rule("interval", A, READ, { rollUpDays: COARSE }),
  "swim-lengths-data": rule("interval", A, READ, { rollUpDays: COARSE }),
  "time-in-heart-rate-zone": rule("interval", A, READ, { rollUpDays: COARSE }),
  "exercise": rule("session", A, [...WRITE, "exportExerciseTcx"], { sessionPages: true }),
  "run-vo2-max": rule("sample", A, READ, { rollUpDays: COARSE }),
  "vo2-max": rule("sample", A, READ),
  "daily-vo2-max": rule("daily", A, READ),
  "total-calories": rule("rollup", A, [], { rollUpDays: FINE_GRAINED }),
  "calories-in-heart-rate-zone": rule("rollup", A, [], { rollUpDays: FINE_GRAINED }),
  "heart-rate": rule("sample", H, READ, { rollUpDays: FINE_GRAINED }),
  "heart-rate-variability": rule("sample", H, READ),
  "daily-heart-rate-variability": rule("daily", H, READ, { rollUpDays: COARSE, dailyOnly: true }),
  "daily-resting-heart-rate": rule("daily", H, READ, { rollUpDays: COARSE, dailyOnly: true }),
  "daily-heart-rate-zones": rule("daily", H, READ),
  "oxygen-saturation": rule("sample", H, READ),
  "daily-oxygen-saturation": rule("daily", H, READ),
  "daily-respiratory-rate": rule("daily", H, READ),
  "respiratory-rate-sleep-summary": rule("sample", H, READ),
  "daily-sleep-temperature-derivations": rule("daily", H, READ),
  "core-body-temperature": rule("sample", H, READ, { rollUpDays: COARSE }),
  "skin-temperature-sensors": rule("sample", H, READ, { channel: "v4beta" }),
  "blood-glucose": rule("sample", H, READ, { rollUpDays: COARSE }),
  "weight": rule("sample", H, WRITE, { rollUpDays: COARSE }),
  "body-fat": rule("sample", H, WRITE, { rollUpDays: COARSE }),
  "height": rule("sample", H, READ),
  "sleep": rule("sleep", "sleep", WRITE, { sessionPages: true, sourceFamily: false }),
  "electrocardiogram": rule("ecg", "ecg", NAMED),
  "irregular-rhythm-notification": rule("session", "irn", NAMED),
  "hydration-log": rule("session", "nutrition", WRITE, { rollUpDays: COARSE }),
  "nutrition-log": rule("session", "nutrition", WRITE, { rollUpDays: COARSE }),
  "food": rule("catalogue", "nutrition", NAMED, { sourceFamily: false }),
  "food-measurement-unit": rule("catalogue", "nutrition", NAMED, { sourceFamily: false }),
  "menstrual-period": rule("interval", "reproductive_health", WRITE),
  "ovulation-test": rule("sample", "reproductive_health", WRITE),
  "moods": rule("sample", "mindfulness", WRITE),
  "symptoms": rule("sample", "logged_symptoms", WRITE)
}

/**
 * The rules of a data type, or `undefined` for one this library does not list (such a type is
 * sent as is: Google judges it).
 *
 * @since 0.1.0
 * @category validation
 */
export const ruleOf = (dataType: string): DataTypeRule | undefined =>
  Object.prototype.hasOwnProperty.call(RULES, dataType) ? RULES[dataType] : undefined

/**
 * Whether a channel serves a data type (an unlisted type: assumed so).
 *
 * @since 0.1.0
 * @category validation
 */
export const servedOn = (dataType: string, channel: Channel): boolean => {
  const found = ruleOf(dataType)
  return found === undefined || found.channel === "v4" || channel === "v4beta"
}

/**
 * One filter clause: `{data_type}.{field} {op} "{value}"`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FilterClause {
  readonly dataType: string
  readonly field: string
  readonly op: string
  readonly value: string
}

const CLAUSE = /^\s*\(*\s*([a-z0-9_]+)\.([a-z0-9_.]+)\s*(>=|<=|!=|=|>|<)\s*"([^"]*)"\s*\)*\s*$/

/**
 * Parses an AIP-160 time-range filter into groups of clauses: the groups are joined with `OR`,
 * the clauses of a group with `AND`. `undefined` when the filter is not of that form.
 *
 * @since 0.1.0
 * @category validation
 */
export const parseFilter = (filter: string): ReadonlyArray<ReadonlyArray<FilterClause>> | undefined => {
  const groups: Array<Array<FilterClause>> = []
  for (const group of filter.split(/\s+OR\s+/)) {
    const clauses: Array<FilterClause> = []
    for (const part of group.split(/\s+AND\s+/)) {
      const match = CLAUSE.exec(part)
      if (match === null) return undefined
      clauses.push({ dataType: match[1]!, field: match[2]!, op: match[3]!, value: match[4]! })
    }
    groups.push(clauses)
  }
  return groups
}

/**
 * Why a filter breaks a data type's rule, or `undefined` when it keeps it.
 *
 * @since 0.1.0
 * @category validation
 */
export const filterProblem = (dataType: string, filter: string): string | undefined => {
  const found = ruleOf(dataType)
  if (found === undefined || filter.trim() === "") return undefined
  const groups = parseFilter(filter)
  if (groups === undefined) {
    return `is not a time-range filter Google accepts: clauses \`${snake(dataType)}.{field} >= "…"\` or \`< "…"\` joined with AND`
  }
  const allowed = found.filter.fields
  if (allowed.length === 0) return `is not accepted for ${dataType}: Google filters ${dataType} on no field`
  if (groups.length > 1 && !found.filter.or) {
    return `joins ranges with OR, which Google accepts only for sleep; ${dataType} takes one range joined with AND`
  }
  for (const clause of groups.flat()) {
    if (clause.dataType !== snake(dataType)) {
      return `names ${clause.dataType}.${clause.field}; a ${dataType} filter names ${snake(dataType)}.{field}`
    }
    if (!allowed.includes(clause.field)) {
      return `names ${snake(dataType)}.${clause.field}, which Google does not filter ${dataType} on; use ${
        allowed.map((f) => `${snake(dataType)}.${f}`).join(" or ")
      }`
    }
    if (!(found.filter.operators as ReadonlyArray<string>).includes(clause.op)) {
      return `compares with ${clause.op}; Google accepts ${found.filter.operators.join(" and ")} on ${dataType}`
    }
  }
  return undefined
}

const snake = (dataType: string): string => dataType.replace(/-/g, "_")

/** `users/{user}/dataTypes/{type}/dataPoints[/{id}][:{verb}]`, with or without a channel prefix. */
const DATA_POINTS = /^\/?(?:v4(?:beta)?\/)?users\/[^/]+\/dataTypes\/([^/:?]+)\/dataPoints(?:\/([^/:?]+))?(?::([A-Za-z]+))?(?:\?.*)?$/

/**
 * The data-points method a request calls, and its data type; `undefined` for any other path.
 *
 * @since 0.1.0
 * @category validation
 */
export const methodOf = (
  httpMethod: string,
  path: string
): { readonly dataType: string; readonly method: Method } | undefined => {
  const match = DATA_POINTS.exec(path)
  if (match === null) return undefined
  let dataType: string
  try {
    dataType = decodeURIComponent(match[1]!)
  } catch {
    return undefined // a malformed escape: the path's own validation refuses it, with its field named
  }
  const id = match[2]
  const verb = match[3]
  const method: Method | undefined = verb === "reconcile"
    ? "reconcile"
    : verb === "rollUp"
    ? "rollUp"
    : verb === "dailyRollUp"
    ? "dailyRollUp"
    : verb === "batchDelete"
    ? "batchDelete"
    : verb === "exportExerciseTcx"
    ? "exportExerciseTcx"
    : verb !== undefined
    ? undefined
    : id === undefined
    ? httpMethod === "POST" ? "create" : httpMethod === "GET" ? "list" : undefined
    : httpMethod === "PATCH"
    ? "patch"
    : httpMethod === "GET"
    ? "get"
    : undefined
  return method === undefined ? undefined : { dataType, method }
}

/**
 * The `InvalidInput` refusing a method a listed data type does not support, naming the methods it
 * does (`steps does not support create (Google's rule for steps: list, reconcile, …)`); `undefined`
 * when it supports it, or when the rules do not list the type (Google judges it).
 *
 * @since 0.1.0
 * @category validation
 */
export const methodProblem = (dataType: string, method: Method): InvalidInput | undefined => {
  const found = ruleOf(dataType)
  if (found === undefined || found.methods.includes(method)) return undefined
  return new InvalidInput({
    field: "dataType",
    reason: `${dataType} does not support ${method} (Google's rule for ${dataType}: ${
      found.methods.length === 0 ? "no data-point method" : found.methods.join(", ")
    })`
  })
}

/**
 * A data-points call as the checker sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallShape {
  readonly channel: Channel
  readonly httpMethod: string
  readonly path: string
  readonly query?: Readonly<Record<string, unknown>> | undefined
  readonly body?: unknown
}

const DAY = 86_400_000

const daysOfDate = (value: unknown): number | undefined => {
  const date = (value as { date?: { year?: unknown; month?: unknown; day?: unknown } } | undefined)?.date
  if (typeof date?.year !== "number" || typeof date.month !== "number" || typeof date.day !== "number") return undefined
  return Date.UTC(date.year, date.month - 1, date.day) / DAY
}

const rangeDays = (method: Method, body: unknown): number | undefined => {
  if (typeof body !== "object" || body === null) return undefined
  const range = (body as { range?: Record<string, unknown> }).range
  if (range === undefined) return undefined
  if (method === "rollUp") {
    const start = Date.parse(String(range.startTime))
    const end = Date.parse(String(range.endTime))
    return Number.isNaN(start) || Number.isNaN(end) ? undefined : (end - start) / DAY
  }
  const start = daysOfDate(range.start)
  const end = daysOfDate(range.end)
  return start === undefined || end === undefined ? undefined : end - start
}

/**
 * Checks a call against its data type's rules: the channel serves the type, the type supports
 * the method, the filter names only its fields, a roll-up
 * stays within its reach, a data-source family is chosen only where Google takes one. Answers
 * the `InvalidInput` naming the rule broken, or `undefined`. Calls on other paths, and data types
 * this library does not list, are not judged.
 *
 * @since 0.1.0
 * @category validation
 */
export const check = (call: CallShape): InvalidInput | undefined => {
  const target = methodOf(call.httpMethod, call.path)
  if (target === undefined) return undefined
  const { dataType, method } = target
  const found = ruleOf(dataType)
  if (found === undefined) return undefined
  if (found.channel === "v4beta" && call.channel === "v4") {
    return new InvalidInput({
      field: "dataType",
      reason:
        `${dataType} is served on Google's v4beta channel only; configure the channel "v4beta" (GoogleHealthConfig channel, or GOOGLE_HEALTH_CHANNEL=v4beta) to read it`
    })
  }
  const refused = methodProblem(dataType, method)
  if (refused !== undefined) return refused
  const query = call.query ?? {}
  const body = typeof call.body === "object" && call.body !== null ? call.body as Record<string, unknown> : {}
  if (method === "list" || method === "reconcile") {
    const filter = query.filter
    if (typeof filter === "string") {
      const problem = filterProblem(dataType, filter)
      if (problem !== undefined) return new InvalidInput({ field: "filter", reason: `${problem} (Google's filter rule for ${dataType})` })
    }
    const family = query.dataSourceFamily ?? query.data_source_family
    if (method === "list" && family !== undefined && family !== "" && !found.sourceFamily) {
      return new InvalidInput({
        field: "dataSourceFamily",
        reason: `is not accepted for ${dataType} (Google's rule: ${dataType} cannot be restricted by data source${
          dataType === "sleep" ? "; reconcile sleep instead" : ""
        })`
      })
    }
  }
  if (method === "rollUp" || method === "dailyRollUp") {
    const days = rangeDays(method, body)
    const reach = found.rollUpDays ?? 0
    if (days !== undefined && days > reach) {
      return new InvalidInput({
        field: "range",
        reason: `spans ${Math.ceil(days)} days; Google rolls ${dataType} up over at most ${reach} days per call`
      })
    }
  }
  return undefined
}

/** Where the scopes of a call come from: Google's scope URLs. */
const SCOPE_URL = "https://www.googleapis.com/auth/googlehealth."

/** The scopes that let a call read (`read`) or write a family: its `.readonly`/`.writeonly` scope, or the family's full scope where a grant holds one. */
const scopesOf = (family: string, access: "read" | "write"): ReadonlyArray<string> =>
  [`${SCOPE_URL}${family}.${access === "read" ? "readonly" : "writeonly"}`, `${SCOPE_URL}${family}`]

/** The methods of the data points that write. */
const WRITES: ReadonlySet<Method> = new Set(["create", "patch", "batchDelete"])

/** `users/{user}/{profile|settings|irnProfile}`, with or without a channel prefix. */
const USER_RESOURCE = /^\/?(?:v4(?:beta)?\/)?users\/[^/]+\/(profile|settings|irnProfile)(?:\?.*)?$/

/**
 * The scopes a call needs, as Google's scope URLs: every group must be granted, by any one scope of
 * the group (the first is the one to ask for: `googlehealth.sleep.readonly` to read sleep,
 * `.writeonly` to write it; exporting an exercise as TCX needs its location too). `undefined` for a
 * call whose scopes this library does not judge (identity, paired devices, subscribers, shared
 * links, data types it does not list).
 *
 * @since 0.1.0
 * @category validation
 */
export const requiredScopes = (
  httpMethod: string,
  path: string
): ReadonlyArray<ReadonlyArray<string>> | undefined => {
  const target = methodOf(httpMethod, path)
  if (target !== undefined) {
    const rule = ruleOf(target.dataType)
    if (rule === undefined) return undefined
    const access = WRITES.has(target.method) ? "write" : "read"
    return target.method === "exportExerciseTcx"
      ? [scopesOf(rule.scope, "read"), scopesOf("location", "read")]
      : [scopesOf(rule.scope, access)]
  }
  const resource = USER_RESOURCE.exec(path)?.[1]
  if (resource === undefined) return undefined
  if (resource === "irnProfile") return [scopesOf("irn", "read")]
  return [scopesOf(resource, httpMethod === "GET" ? "read" : "write")]
}
