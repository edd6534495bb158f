/**
 * Schemas of the Google Health API data types people use most (steps, distance, heart rate,
 * resting heart rate, HRV, sleep, weight, body fat, active zone minutes, SpO2, exercise), and
 * a data-point decoder that never fails on a data type it does not know: such points are kept
 * as raw JSON. Field names and units follow Google's v4 schema (int64 values travel as strings
 * and decode to numbers; proto3 leaves zero values out, so counts default to 0).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * A proto3 int64: a JSON string (or number) of digits, decoded to a number, encoded as a string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Int64 = Schema.transformOrFail(Schema.Union(Schema.String, Schema.Number), Schema.Number, {
  strict: true,
  decode: (input, _, ast) => {
    const n = typeof input === "number" ? input : /^-?\d+$/.test(input.trim()) ? Number(input) : Number.NaN
    return Number.isFinite(n) ? ParseResult.succeed(n) : ParseResult.fail(new ParseResult.Type(ast, input, "not an int64"))
  },
  encode: (n) => ParseResult.succeed(String(Math.trunc(n)))
}).annotations({ identifier: "Int64" })

const count = Schema.optionalWith(Int64, { default: () => 0 })
const num = Schema.optionalWith(Schema.Number, { default: () => 0 })
const str = Schema.optional(Schema.String)

/**
 * A calendar date (`google.type.Date`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CalendarDate = Schema.Struct({
  year: Schema.optional(Schema.Number),
  month: Schema.optional(Schema.Number),
  day: Schema.optional(Schema.Number)
})

/**
 * A time of day (`google.type.TimeOfDay`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeOfDay = Schema.Struct({
  hours: Schema.optional(Schema.Number),
  minutes: Schema.optional(Schema.Number),
  seconds: Schema.optional(Schema.Number),
  nanos: Schema.optional(Schema.Number)
})

/**
 * A civil (wall-clock) date and time, without zone.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CivilDateTime = Schema.Struct({
  date: Schema.optional(CalendarDate),
  time: Schema.optional(TimeOfDay)
})

/**
 * The observed interval of an interval or session data point: RFC 3339 start and end, UTC
 * offsets (`"3600s"`), and the civil times Google adds on output.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimeInterval = Schema.Struct({
  startTime: Schema.String,
  endTime: Schema.String,
  startUtcOffset: str,
  endUtcOffset: str,
  civilStartTime: Schema.optional(CivilDateTime),
  civilEndTime: Schema.optional(CivilDateTime)
})

/**
 * When a sample was observed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SampleTime = Schema.Struct({
  physicalTime: Schema.String,
  utcOffset: str,
  civilTime: Schema.optional(CivilDateTime)
})

/**
 * Where a data point came from.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DataSource = Schema.Struct({
  recordingMethod: str,
  platform: str,
  device: Schema.optional(Schema.Struct({ displayName: str, formFactor: str, manufacturer: str })),
  application: Schema.optional(Schema.Struct({ packageName: str, webClientId: str, googleWebClientId: str }))
})

/**
 * `steps`: a step count over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const Steps = Schema.Struct({ count, interval: TimeInterval })

/**
 * `distance`: millimetres travelled over an interval.
 *
 * @since 0.1.0
 * @category data types
 */
export const Distance = Schema.Struct({ millimeters: count, interval: TimeInterval })

/**
 * `heart-rate`: one heart-rate sample.
 *
 * @since 0.1.0
 * @category data types
 */
export const HeartRate = Schema.Struct({
  beatsPerMinute: count,
  sampleTime: SampleTime,
  metadata: Schema.optional(Schema.Struct({ motionContext: str, sensorLocation: str }))
})

/**
 * `daily-resting-heart-rate`: one day's resting heart rate.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyRestingHeartRate = Schema.Struct({
  beatsPerMinute: count,
  date: CalendarDate,
  dailyRestingHeartRateMetadata: Schema.optional(Schema.Struct({ calculationMethod: str }))
})

/**
 * `heart-rate-variability`: one HRV sample (RMSSD / SDNN in milliseconds).
 *
 * @since 0.1.0
 * @category data types
 */
export const HeartRateVariability = Schema.Struct({
  rootMeanSquareOfSuccessiveDifferencesMilliseconds: Schema.optional(Schema.Number),
  standardDeviationMilliseconds: Schema.optional(Schema.Number),
  sampleTime: SampleTime
})

/**
 * `daily-heart-rate-variability`: one day's HRV summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyHeartRateVariability = Schema.Struct({
  date: CalendarDate,
  averageHeartRateVariabilityMilliseconds: Schema.optional(Schema.Number),
  nonRemHeartRateBeatsPerMinute: Schema.optional(Int64),
  entropy: Schema.optional(Schema.Number),
  deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: Schema.optional(Schema.Number)
})

/**
 * A sleep stage segment (`AWAKE`, `LIGHT`, `DEEP`, `REM`, …).
 *
 * @since 0.1.0
 * @category data types
 */
export const SleepStage = Schema.Struct({
  type: Schema.String,
  startTime: Schema.String,
  endTime: Schema.String,
  startUtcOffset: str,
  endUtcOffset: str,
  createTime: str,
  updateTime: str
})

/**
 * A sleep session's summary, in minutes.
 *
 * @since 0.1.0
 * @category data types
 */
export const SleepSummary = Schema.Struct({
  minutesAsleep: count,
  minutesAwake: count,
  minutesInSleepPeriod: count,
  minutesToFallAsleep: count,
  minutesAfterWakeUp: count,
  stagesSummary: Schema.optional(
    Schema.Array(Schema.Struct({ type: str, minutes: count, count }))
  )
})

/**
 * `sleep`: one sleep session with its stages and summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const Sleep = Schema.Struct({
  interval: TimeInterval,
  type: str,
  stages: Schema.optional(Schema.Array(SleepStage)),
  shortAwakenings: Schema.optional(Schema.Array(SleepStage)),
  outOfBedSegments: Schema.optional(Schema.Array(Schema.Unknown)),
  summary: Schema.optional(SleepSummary),
  metadata: Schema.optional(Schema.Struct({
    mainSleep: Schema.optional(Schema.Boolean),
    nap: Schema.optional(Schema.Boolean),
    processed: Schema.optional(Schema.Boolean),
    manuallyEdited: Schema.optional(Schema.Boolean),
    stagesStatus: str,
    externalId: str
  })),
  createTime: str,
  updateTime: str
})

/**
 * `weight`: one weight measurement, in grams.
 *
 * @since 0.1.0
 * @category data types
 */
export const Weight = Schema.Struct({ weightGrams: num, sampleTime: SampleTime, notes: str })

/**
 * `body-fat`: one body-fat measurement, in percent.
 *
 * @since 0.1.0
 * @category data types
 */
export const BodyFat = Schema.Struct({ percentage: num, sampleTime: SampleTime })

/**
 * `active-zone-minutes`: zone minutes earned in an interval (1 per minute in fat burn, 2 in cardio or peak).
 *
 * @since 0.1.0
 * @category data types
 */
export const ActiveZoneMinutes = Schema.Struct({
  activeZoneMinutes: count,
  heartRateZone: str,
  interval: TimeInterval
})

/**
 * `oxygen-saturation`: one SpO2 sample, in percent.
 *
 * @since 0.1.0
 * @category data types
 */
export const OxygenSaturation = Schema.Struct({ percentage: num, sampleTime: SampleTime })

/**
 * `daily-oxygen-saturation`: one night's SpO2 summary.
 *
 * @since 0.1.0
 * @category data types
 */
export const DailyOxygenSaturation = Schema.Struct({
  date: CalendarDate,
  averagePercentage: num,
  lowerBoundPercentage: Schema.optional(Schema.Number),
  upperBoundPercentage: Schema.optional(Schema.Number),
  standardDeviationPercentage: Schema.optional(Schema.Number)
})

/**
 * An exercise's summary metrics.
 *
 * @since 0.1.0
 * @category data types
 */
export const MetricsSummary = Schema.Struct({
  steps: Schema.optional(Int64),
  distanceMillimeters: Schema.optional(Schema.Number),
  caloriesKcal: Schema.optional(Schema.Number),
  averageHeartRateBeatsPerMinute: Schema.optional(Int64),
  activeZoneMinutes: Schema.optional(Int64),
  elevationGainMillimeters: Schema.optional(Schema.Number),
  averageSpeedMillimetersPerSecond: Schema.optional(Schema.Number),
  averagePaceSecondsPerMeter: Schema.optional(Schema.Number),
  runVo2Max: Schema.optional(Schema.Number),
  totalSwimLengths: Schema.optional(Schema.Number)
})

/**
 * `exercise`: one exercise session.
 *
 * @since 0.1.0
 * @category data types
 */
export const Exercise = Schema.Struct({
  interval: TimeInterval,
  exerciseType: Schema.String,
  displayName: str,
  /** Duration without pauses, as a protobuf duration (`"1800s"`). */
  activeDuration: str,
  metricsSummary: Schema.optional(MetricsSummary),
  notes: str,
  exerciseEvents: Schema.optional(Schema.Array(Schema.Unknown)),
  splits: Schema.optional(Schema.Array(Schema.Unknown)),
  splitSummaries: Schema.optional(Schema.Array(Schema.Unknown)),
  exerciseMetadata: Schema.optional(Schema.Unknown),
  createTime: str,
  updateTime: str
})

/**
 * The data types with schemas here: their data-type id (the URL segment), the JSON field
 * of the data point that holds them, their tag and their schema.
 *
 * @since 0.1.0
 * @category data types
 */
export const KNOWN = {
  "steps": { field: "steps", tag: "Steps", schema: Steps },
  "distance": { field: "distance", tag: "Distance", schema: Distance },
  "heart-rate": { field: "heartRate", tag: "HeartRate", schema: HeartRate },
  "daily-resting-heart-rate": {
    field: "dailyRestingHeartRate",
    tag: "DailyRestingHeartRate",
    schema: DailyRestingHeartRate
  },
  "heart-rate-variability": { field: "heartRateVariability", tag: "HeartRateVariability", schema: HeartRateVariability },
  "daily-heart-rate-variability": {
    field: "dailyHeartRateVariability",
    tag: "DailyHeartRateVariability",
    schema: DailyHeartRateVariability
  },
  "sleep": { field: "sleep", tag: "Sleep", schema: Sleep },
  "weight": { field: "weight", tag: "Weight", schema: Weight },
  "body-fat": { field: "bodyFat", tag: "BodyFat", schema: BodyFat },
  "active-zone-minutes": { field: "activeZoneMinutes", tag: "ActiveZoneMinutes", schema: ActiveZoneMinutes },
  "oxygen-saturation": { field: "oxygenSaturation", tag: "OxygenSaturation", schema: OxygenSaturation },
  "daily-oxygen-saturation": {
    field: "dailyOxygenSaturation",
    tag: "DailyOxygenSaturation",
    schema: DailyOxygenSaturation
  },
  "exercise": { field: "exercise", tag: "Exercise", schema: Exercise }
} as const

type Known = typeof KNOWN

/**
 * A data-type id with a schema here, e.g. `heart-rate`.
 *
 * @since 0.1.0
 * @category models
 */
export type KnownDataType = keyof Known

/**
 * The decoded value of a known data type.
 *
 * @since 0.1.0
 * @category models
 */
export type ValueOf<K extends KnownDataType> = Schema.Schema.Type<Known[K]["schema"]>

/**
 * A data point of a known type: its tag, data-type id, name (identifiable types only),
 * source, decoded value, and the JSON it came from.
 *
 * @since 0.1.0
 * @category models
 */
export type KnownDataPoint = {
  readonly [K in KnownDataType]: {
    readonly _tag: Known[K]["tag"]
    readonly dataType: K
    readonly name?: string
    readonly dataSource?: Schema.Schema.Type<typeof DataSource>
    readonly value: ValueOf<K>
    readonly raw: Readonly<Record<string, unknown>>
  }
}[KnownDataType]

/**
 * A data point of a type without a schema here, kept as its JSON. `dataType` is read from
 * the point's name or its one value field (kebab-cased), when either is there.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnknownDataPoint {
  readonly _tag: "Unknown"
  readonly dataType?: string
  readonly name?: string
  readonly raw: unknown
}

/**
 * A decoded data point.
 *
 * @since 0.1.0
 * @category models
 */
export type DataPoint = KnownDataPoint | UnknownDataPoint

const FIELD_TO_TYPE: ReadonlyMap<string, KnownDataType> = new Map(
  (Object.keys(KNOWN) as Array<KnownDataType>).map((id) => [KNOWN[id].field, id])
)

const ENVELOPE = new Set(["name", "dataPointName", "dataSource"])

/**
 * The kebab-case data-type id of a camel-case field name: `heartRate` → `heart-rate`.
 *
 * @since 0.1.0
 * @category data types
 */
export const kebab = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^-/, "")

/**
 * Whether a string is a data-type id with a schema here.
 *
 * @since 0.1.0
 * @category data types
 */
export const isKnownDataType = (id: unknown): id is KnownDataType =>
  typeof id === "string" && Object.prototype.hasOwnProperty.call(KNOWN, id)

const dataTypeOfName = (name: unknown): string | undefined =>
  typeof name === "string" ? /\/dataTypes\/([^/]+)\//.exec(name)?.[1] : undefined

/**
 * Decodes one data point (a `DataPoint` or a `ReconciledDataPoint`). A point of a known type
 * fails only when its value does not match the type's schema; anything else, including a
 * point of an unknown type or a value that is not an object, becomes an {@link UnknownDataPoint}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDataPoint = (input: unknown): Effect.Effect<DataPoint, ParseResult.ParseError> => {
  if (!Predicate.isRecord(input)) return Effect.succeed({ _tag: "Unknown", raw: input })
  const name = typeof input.name === "string"
    ? input.name
    : typeof input.dataPointName === "string"
    ? input.dataPointName
    : undefined
  const fields = Object.keys(input).filter((key) => !ENVELOPE.has(key))
  const knownField = fields.find((key) => FIELD_TO_TYPE.has(key))
  if (knownField === undefined) {
    const dataType = dataTypeOfName(name) ?? (fields.length === 1 ? kebab(fields[0]!) : undefined)
    return Effect.succeed({
      _tag: "Unknown",
      ...(dataType === undefined ? {} : { dataType }),
      ...(name === undefined ? {} : { name }),
      raw: input
    })
  }
  const dataType = FIELD_TO_TYPE.get(knownField)!
  const entry = KNOWN[dataType]
  return Effect.gen(function*() {
    const value = yield* Schema.decodeUnknown(entry.schema as Schema.Schema<any, any, never>)(input[knownField])
    const dataSource = input.dataSource === undefined
      ? undefined
      : yield* Schema.decodeUnknown(DataSource)(input.dataSource)
    return {
      _tag: entry.tag,
      dataType,
      ...(name === undefined ? {} : { name }),
      ...(dataSource === undefined ? {} : { dataSource }),
      value,
      raw: input
    } as KnownDataPoint
  })
}

/**
 * Decodes many data points; see {@link decodeDataPoint}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDataPoints = (
  input: ReadonlyArray<unknown>
): Effect.Effect<Array<DataPoint>, ParseResult.ParseError> => Effect.forEach(input, decodeDataPoint)

/**
 * The values of the points of one known type, in order; other points are skipped.
 *
 * @since 0.1.0
 * @category accessors
 */
export const valuesOf = <K extends KnownDataType>(
  dataType: K,
  points: Iterable<DataPoint>
): Array<ValueOf<K>> => {
  const out: Array<ValueOf<K>> = []
  for (const point of points) {
    if (point._tag !== "Unknown" && point.dataType === dataType) out.push(point.value as ValueOf<K>)
  }
  return out
}

/**
 * Builds the wire JSON of a data point of a known type (for `create` and `patch`): the value
 * under its field, int64 values as strings, plus `name` and `dataSource` when given.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeDataPoint = <K extends KnownDataType>(
  dataType: K,
  value: Schema.Schema.Encoded<Known[K]["schema"]> | ValueOf<K>,
  extras: { readonly name?: string | undefined; readonly dataSource?: Schema.Schema.Type<typeof DataSource> | undefined } =
    {}
): Effect.Effect<Record<string, unknown>, ParseResult.ParseError> =>
  Effect.gen(function*() {
    const entry = KNOWN[dataType]
    const schema = entry.schema as unknown as Schema.Schema<any, any, never>
    // Validate whichever form was given by decoding it (both forms decode), then encode it to the wire.
    const decoded = yield* Schema.decodeUnknown(schema)(value).pipe(
      Effect.orElse(() => Schema.validate(schema)(value))
    )
    const wire = yield* Schema.encode(schema)(decoded)
    return {
      ...(extras.name === undefined ? {} : { name: extras.name }),
      ...(extras.dataSource === undefined ? {} : { dataSource: extras.dataSource }),
      [entry.field]: wire
    }
  })

const Rest = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * One aggregation window of `rollUp` / `dailyRollUp`: its bounds and the rolled-up values of
 * the common types; values of other types stay in the record as JSON.
 *
 * @since 0.1.0
 * @category rollups
 */
export const RollupDataPoint = Schema.Struct({
  startTime: str,
  endTime: str,
  civilStartTime: Schema.optional(CivilDateTime),
  civilEndTime: Schema.optional(CivilDateTime),
  steps: Schema.optional(Schema.Struct({ countSum: count })),
  distance: Schema.optional(Schema.Struct({ millimetersSum: count })),
  heartRate: Schema.optional(Schema.Struct({
    beatsPerMinuteAvg: Schema.optional(Schema.Number),
    beatsPerMinuteMin: Schema.optional(Schema.Number),
    beatsPerMinuteMax: Schema.optional(Schema.Number)
  })),
  weight: Schema.optional(Schema.Struct({ weightGramsAvg: Schema.optional(Schema.Number) })),
  bodyFat: Schema.optional(Schema.Struct({ bodyFatPercentageAvg: Schema.optional(Schema.Number) })),
  activeZoneMinutes: Schema.optional(Schema.Struct({
    sumInFatBurnHeartZone: count,
    sumInCardioHeartZone: count,
    sumInPeakHeartZone: count
  }))
}, Rest)

/**
 * A decoded rollup window.
 *
 * @since 0.1.0
 * @category rollups
 */
export type RollupDataPoint = Schema.Schema.Type<typeof RollupDataPoint>

/**
 * Milliseconds of a protobuf duration string such as `"3600s"` or `"1.5s"`; `undefined` when malformed.
 *
 * @since 0.1.0
 * @category helpers
 */
export const durationMillis = (duration: string | undefined): number | undefined => {
  if (duration === undefined) return undefined
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(duration.trim())
  return match === null ? undefined : Math.round(Number(match[1]) * 1000)
}

/**
 * `YYYY-MM-DD` of a calendar date; `undefined` when a part is missing.
 *
 * @since 0.1.0
 * @category helpers
 */
export const formatDate = (date: Schema.Schema.Type<typeof CalendarDate> | undefined): string | undefined => {
  if (date?.year === undefined || date.month === undefined || date.day === undefined) return undefined
  return `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`
}

/**
 * The calendar date of a `YYYY-MM-DD` string; `undefined` when it is not one.
 *
 * @since 0.1.0
 * @category helpers
 */
export const parseDate = (text: string): Schema.Schema.Type<typeof CalendarDate> | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const check = new Date(Date.UTC(year, month - 1, day))
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined
  return { year, month, day }
}
