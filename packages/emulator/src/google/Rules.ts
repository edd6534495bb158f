/**
 * Google's rules for each Health API data type, as the emulator enforces them: the channel that
 * serves it, the `dataPoints` methods it answers, its page sizes, the filter it accepts, how far
 * one roll-up reaches, whether `list` takes a data-source family, and the scope family it needs.
 *
 * Written from Google's own descriptions, not from the client's table, so that the two are
 * separate witnesses (`test/emulator-rules.test.ts` compares them with each other and with
 * googleapis): googleapis 188's `health/v4.d.ts` and `v4beta.d.ts` (which schema holds each type's
 * time, hence its kind; the `list` notes on filters, page sizes and data-source families; the
 * roll-up unions and their range note) and developers.google.com/health (data types, scopes).
 *
 * @since 0.1.0
 */

/**
 * The methods that read a type's points: a range of them, a range reconciled across sources, or
 * one by name.
 *
 * @since 0.1.0
 * @category models
 */
export type ReadMethod = "list" | "reconcile" | "get"

/**
 * The methods that write identifiable points.
 *
 * @since 0.1.0
 * @category models
 */
export type WriteMethod = "create" | "patch" | "batchDelete"

/**
 * The roll-ups: over physical windows, and over civil days.
 *
 * @since 0.1.0
 * @category models
 */
export type RollUpMethod = "rollUp" | "dailyRollUp"

/**
 * A `users.dataTypes.dataPoints` method.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = ReadMethod | WriteMethod | RollUpMethod | "exportExerciseTcx"

/**
 * A channel of the API: `v4` (stable) or `v4beta` (a superset of v4).
 *
 * @since 0.1.0
 * @category models
 */
export type Channel = "v4" | "v4beta"

/**
 * A Google Health scope family: `googlehealth.{family}.readonly` reads it, `.writeonly` writes it.
 *
 * @since 0.1.0
 * @category models
 */
export type ScopeFamily =
  // read and write
  | "activity_and_fitness" | "health_metrics_and_measurements" | "sleep" | "nutrition"
  | "reproductive_health" | "mindfulness" | "logged_symptoms"
  // read only
  | "ecg" | "irn"

/**
 * Where a type's points sit in time, read off the schema that holds its time in v4.d.ts:
 * `interval` (`ObservationTimeInterval`), `sample` (`ObservationSampleTime`), `daily` (a `Date`),
 * `session` (`SessionTimeInterval`), `catalogue` (no time: foods and their units), `derived`
 * (no points of its own: served by roll-ups only).
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "interval" | "sample" | "daily" | "session" | "catalogue" | "derived"

/**
 * The filter a type accepts: the members it may name (after `{data_type}.`), the comparisons,
 * and whether ranges may be joined with `OR`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Filter {
  readonly members: ReadonlyArray<string>
  readonly comparisons: ReadonlyArray<">=" | "<">
  readonly orRanges: boolean
}

/**
 * What the emulator enforces for one data type.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  /** The channels that serve it: both, or the beta channel only. */
  readonly servedOn: ReadonlyArray<Channel>
  readonly kind: Kind
  readonly methods: ReadonlySet<Method>
  /** `list` and `:reconcile`: the page size when none is asked for, and the largest served (larger asks are truncated). */
  readonly page: { readonly size: number; readonly max: number }
  readonly filter: Filter
  /** The longest range one `:rollUp` or `:dailyRollUp` covers, in days; `undefined` for a type that does not roll up. */
  readonly rollUpReachDays: number | undefined
  /** Whether `list` takes a `dataSourceFamily` (`:reconcile` always does). */
  readonly listBySourceFamily: boolean
  readonly scopeFamily: ScopeFamily
}

// --- Filters: googleapis' `dataPoints.list` `filter` note, one entry per kind -------------------

const RANGE: ReadonlyArray<">=" | "<"> = [">=", "<"]

/** The filter Google documents for each kind; sleep and ECG are the exceptions below. */
const FILTER_OF_KIND: Readonly<Record<Kind, Filter>> = {
  interval: { members: ["interval.start_time", "interval.civil_start_time"], comparisons: RANGE, orRanges: false },
  sample: { members: ["sample_time.physical_time", "sample_time.civil_time"], comparisons: RANGE, orRanges: false },
  daily: { members: ["date"], comparisons: RANGE, orRanges: false },
  session: { members: ["interval.civil_start_time"], comparisons: RANGE, orRanges: false },
  catalogue: { members: [], comparisons: [], orRanges: false },
  // `total_calories.interval.start_time` / `.civil_start_time` (the TotalCaloriesRollupValue note).
  derived: { members: ["interval.start_time", "interval.civil_start_time"], comparisons: RANGE, orRanges: false }
}

// --- The data types, by kind ----------------------------------------------------------------------

/**
 * What Google says of one type beyond its kind: its scope family, whether its points have names
 * (`named`: `get`; `written`: `get`, `create`, `patch` and `batchDelete` too), and whether it
 * rolls up (`both`: `:rollUp` and `:dailyRollUp`; `daily`: `:dailyRollUp` only, the personal
 * ranges of the `DailyRollupDataPoint` union).
 */
interface Traits {
  readonly scope: ScopeFamily
  readonly points?: "named" | "written"
  readonly rollUp?: "both" | "daily"
  readonly betaOnly?: true
}

const ACTIVITY = "activity_and_fitness"
const METRICS = "health_metrics_and_measurements"

const TYPES: Readonly<Record<Kind, Readonly<Record<string, Traits>>>> = {
  interval: {
    "steps": { scope: ACTIVITY, rollUp: "both" },
    "distance": { scope: ACTIVITY, rollUp: "both" },
    "floors": { scope: ACTIVITY, rollUp: "both" },
    "altitude": { scope: ACTIVITY, rollUp: "both" },
    "active-energy-burned": { scope: ACTIVITY, rollUp: "both" },
    "basal-energy-burned": { scope: ACTIVITY },
    "active-minutes": { scope: ACTIVITY, rollUp: "both" },
    "active-zone-minutes": { scope: ACTIVITY, rollUp: "both" },
    "activity-level": { scope: ACTIVITY, rollUp: "both" },
    "sedentary-period": { scope: ACTIVITY, rollUp: "both" },
    "swim-lengths-data": { scope: ACTIVITY, rollUp: "both" },
    "time-in-heart-rate-zone": { scope: ACTIVITY, rollUp: "both" },
    "menstrual-period": { scope: "reproductive_health", points: "written" }
  },
  sample: {
    "heart-rate": { scope: METRICS, rollUp: "both" },
    "heart-rate-variability": { scope: METRICS },
    "oxygen-saturation": { scope: METRICS },
    "respiratory-rate-sleep-summary": { scope: METRICS },
    "core-body-temperature": { scope: METRICS, rollUp: "both" },
    "blood-glucose": { scope: METRICS, rollUp: "both" },
    "skin-temperature-sensors": { scope: METRICS, betaOnly: true },
    "weight": { scope: METRICS, points: "written", rollUp: "both" },
    "body-fat": { scope: METRICS, points: "written", rollUp: "both" },
    "height": { scope: METRICS },
    "vo2-max": { scope: ACTIVITY },
    "run-vo2-max": { scope: ACTIVITY, rollUp: "both" },
    "ovulation-test": { scope: "reproductive_health", points: "written" },
    "moods": { scope: "mindfulness", points: "written" },
    "symptoms": { scope: "logged_symptoms", points: "written" }
  },
  daily: {
    "daily-resting-heart-rate": { scope: METRICS, rollUp: "daily" },
    "daily-heart-rate-variability": { scope: METRICS, rollUp: "daily" },
    "daily-heart-rate-zones": { scope: METRICS },
    "daily-oxygen-saturation": { scope: METRICS },
    "daily-respiratory-rate": { scope: METRICS },
    "daily-sleep-temperature-derivations": { scope: METRICS },
    "daily-vo2-max": { scope: ACTIVITY }
  },
  session: {
    "exercise": { scope: ACTIVITY, points: "written" },
    "sleep": { scope: "sleep", points: "written" },
    "electrocardiogram": { scope: "ecg", points: "named" },
    "irregular-rhythm-notification": { scope: "irn", points: "named" },
    "hydration-log": { scope: "nutrition", points: "written", rollUp: "both" },
    "nutrition-log": { scope: "nutrition", points: "written", rollUp: "both" }
  },
  catalogue: {
    "food": { scope: "nutrition", points: "named" },
    "food-measurement-unit": { scope: "nutrition", points: "named" }
  },
  derived: {
    "total-calories": { scope: ACTIVITY, rollUp: "both" },
    "calories-in-heart-rate-zone": { scope: ACTIVITY, rollUp: "both" }
  }
}

// --- Google's notes that single types out -----------------------------------------------------------

/** "The maximum range for calories-in-heart-rate-zone, heart-rate, active-minutes and total-calories is 14 days." */
const FOURTEEN_DAY_ROLL_UPS: ReadonlySet<string> = new Set(["calories-in-heart-rate-zone", "heart-rate", "active-minutes", "total-calories"])
/** "The maximum range for all other data types is 90 days." */
const ROLL_UP_DAYS = 90
const SHORT_ROLL_UP_DAYS = 14

/** "For exercise and sleep the default page size is 25. The maximum page size for exercise and sleep is 25." */
const SMALL_PAGES: ReadonlySet<string> = new Set(["exercise", "sleep"])

/** "Filtering by data source family is not supported for the sleep, food and food-measurement-unit data types." */
const NO_SOURCE_FAMILY: ReadonlySet<string> = new Set(["sleep", "food", "food-measurement-unit"])

/** The filter notes for single session types: sleep by its end (`AND`, `OR`), ECG by its start (`>=` only). */
const FILTER_OF_TYPE: Readonly<Record<string, Filter>> = {
  "sleep": { members: ["interval.end_time", "interval.civil_end_time"], comparisons: RANGE, orRanges: true },
  "electrocardiogram": { members: ["interval.start_time"], comparisons: [">="], orRanges: false }
}

/** `exportExerciseTcx` names the exercise data type in its path. */
const EXTRA_METHODS: Readonly<Record<string, ReadonlyArray<Method>>> = { exercise: ["exportExerciseTcx"] }

const methodsOf = (kind: Kind, dataType: string, traits: Traits): ReadonlySet<Method> =>
  new Set<Method>([
    ...(kind === "derived" ? [] : ["list", "reconcile"] as const),
    ...(traits.points === undefined ? [] : ["get"] as const),
    ...(traits.points === "written" ? ["create", "patch", "batchDelete"] as const : []),
    ...(traits.rollUp === "both" ? ["rollUp", "dailyRollUp"] as const : traits.rollUp === "daily" ? ["dailyRollUp"] as const : []),
    ...(EXTRA_METHODS[dataType] ?? [])
  ])

const ruleFor = (kind: Kind, dataType: string, traits: Traits): Rule => ({
  servedOn: traits.betaOnly === true ? ["v4beta"] : ["v4", "v4beta"],
  kind,
  methods: methodsOf(kind, dataType, traits),
  page: SMALL_PAGES.has(dataType) ? { size: 25, max: 25 } : { size: 1440, max: 10000 },
  filter: FILTER_OF_TYPE[dataType] ?? FILTER_OF_KIND[kind],
  rollUpReachDays: traits.rollUp === undefined ? undefined : FOURTEEN_DAY_ROLL_UPS.has(dataType) ? SHORT_ROLL_UP_DAYS : ROLL_UP_DAYS,
  listBySourceFamily: !NO_SOURCE_FAMILY.has(dataType),
  scopeFamily: traits.scope
})

/**
 * The rule of every data type the emulator knows, by data-type id.
 *
 * @since 0.1.0
 * @category validation
 */
export const RULES: Readonly<Record<string, Rule>> = Object.fromEntries(
  (Object.entries(TYPES) as ReadonlyArray<[Kind, Readonly<Record<string, Traits>>]>).flatMap(([kind, types]) =>
    Object.entries(types).map(([dataType, traits]) => [dataType, ruleFor(kind, dataType, traits)] as const)
  )
)

/**
 * The rule of a data type; `undefined` for one the emulator does not list (a type newer than
 * this table: the emulator judges it leniently).
 *
 * @since 0.1.0
 * @category validation
 */
export const ruleOf = (dataType: string): Rule | undefined => Object.hasOwn(RULES, dataType) ? RULES[dataType] : undefined

/**
 * Whether a channel serves a data type (an unlisted type: yes).
 *
 * @since 0.1.0
 * @category validation
 */
export const servedOn = (dataType: string, channel: Channel): boolean => ruleOf(dataType)?.servedOn.includes(channel) ?? true

/**
 * Whether a data type answers a method (an unlisted type: every method).
 *
 * @since 0.1.0
 * @category validation
 */
export const supports = (dataType: string, method: Method): boolean => ruleOf(dataType)?.methods.has(method) ?? true
