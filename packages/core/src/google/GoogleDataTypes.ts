/**
 * The Google Health API data types: their schemas (one module per family under `datatypes/`,
 * re-exported here: `Activity`, `Heart`, `Sleep`, `Body`, `Vitals`, `Fitness`, `Nutrition`,
 * `Reproductive`, `Wellbeing`, and the `Rollups` windows), the registry of every v4 and v4beta
 * data type (`KNOWN`; which channel serves each is in `DataTypeRules`), and a data-point decoder that never fails on a data type it does not know: such
 * points are kept as raw JSON. Field names and units follow Google's v4 schema (int64 values travel as strings
 * and decode to numbers; proto3 leaves zero values out, so counts default to 0).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Activity from "./datatypes/Activity.js"
import * as Body from "./datatypes/Body.js"
import * as Fitness from "./datatypes/Fitness.js"
import * as Heart from "./datatypes/Heart.js"
import * as Nutrition from "./datatypes/Nutrition.js"
import * as Reproductive from "./datatypes/Reproductive.js"
import * as Sleep from "./datatypes/Sleep.js"
import { CalendarDate, DataSource } from "./datatypes/Values.js"
import * as Vitals from "./datatypes/Vitals.js"
import * as Wellbeing from "./datatypes/Wellbeing.js"
import * as CivilTime from "../internal/civilTime.js"
import * as FastDecode from "../internal/fastDecode.js"
import { editDistance } from "../internal/editDistance.js"

export * from "./datatypes/Activity.js"
export * from "./datatypes/Body.js"
export * from "./datatypes/Fitness.js"
export * from "./datatypes/Heart.js"
export * from "./datatypes/Nutrition.js"
export * from "./datatypes/Reproductive.js"
export * from "./datatypes/Rollups.js"
export * from "./datatypes/Sleep.js"
export { CalendarDate, CivilDateTime, DataSource, Int64, SampleTime, TimeInterval, TimeOfDay } from "./datatypes/Values.js"
export * from "./datatypes/Vitals.js"
export * from "./datatypes/Wellbeing.js"

/**
 * The data types with schemas here: their data-type id (the URL segment), the JSON field
 * of the data point that holds them, their tag and their schema.
 *
 * @since 0.1.0
 * @category data types
 */
export const KNOWN = {
  "steps": { field: "steps", tag: "Steps", schema: Activity.Steps },
  "distance": { field: "distance", tag: "Distance", schema: Activity.Distance },
  "heart-rate": { field: "heartRate", tag: "HeartRate", schema: Heart.HeartRate },
  "daily-resting-heart-rate": {
    field: "dailyRestingHeartRate",
    tag: "DailyRestingHeartRate",
    schema: Heart.DailyRestingHeartRate
  },
  "heart-rate-variability": { field: "heartRateVariability", tag: "HeartRateVariability", schema: Heart.HeartRateVariability },
  "daily-heart-rate-variability": {
    field: "dailyHeartRateVariability",
    tag: "DailyHeartRateVariability",
    schema: Heart.DailyHeartRateVariability
  },
  "sleep": { field: "sleep", tag: "Sleep", schema: Sleep.Sleep },
  "weight": { field: "weight", tag: "Weight", schema: Body.Weight },
  "body-fat": { field: "bodyFat", tag: "BodyFat", schema: Body.BodyFat },
  "active-zone-minutes": { field: "activeZoneMinutes", tag: "ActiveZoneMinutes", schema: Activity.ActiveZoneMinutes },
  "oxygen-saturation": { field: "oxygenSaturation", tag: "OxygenSaturation", schema: Vitals.OxygenSaturation },
  "daily-oxygen-saturation": {
    field: "dailyOxygenSaturation",
    tag: "DailyOxygenSaturation",
    schema: Vitals.DailyOxygenSaturation
  },
  "exercise": { field: "exercise", tag: "Exercise", schema: Activity.Exercise },
  "active-energy-burned": { field: "activeEnergyBurned", tag: "ActiveEnergyBurned", schema: Activity.ActiveEnergyBurned },
  "active-minutes": { field: "activeMinutes", tag: "ActiveMinutes", schema: Activity.ActiveMinutes },
  "activity-level": { field: "activityLevel", tag: "ActivityLevel", schema: Activity.ActivityLevel },
  "altitude": { field: "altitude", tag: "Altitude", schema: Activity.Altitude },
  "basal-energy-burned": { field: "basalEnergyBurned", tag: "BasalEnergyBurned", schema: Activity.BasalEnergyBurned },
  "floors": { field: "floors", tag: "Floors", schema: Activity.Floors },
  "sedentary-period": { field: "sedentaryPeriod", tag: "SedentaryPeriod", schema: Activity.SedentaryPeriod },
  "swim-lengths-data": { field: "swimLengthsData", tag: "SwimLengthsData", schema: Activity.SwimLengthsData },
  "time-in-heart-rate-zone": { field: "timeInHeartRateZone", tag: "TimeInHeartRateZone", schema: Activity.TimeInHeartRateZone },
  "daily-heart-rate-zones": { field: "dailyHeartRateZones", tag: "DailyHeartRateZones", schema: Heart.DailyHeartRateZones },
  "electrocardiogram": { field: "electrocardiogram", tag: "Electrocardiogram", schema: Heart.Electrocardiogram },
  "irregular-rhythm-notification": { field: "irregularRhythmNotification", tag: "IrregularRhythmNotification", schema: Heart.IrregularRhythmNotification },
  "respiratory-rate-sleep-summary": { field: "respiratoryRateSleepSummary", tag: "RespiratoryRateSleepSummary", schema: Sleep.RespiratoryRateSleepSummary },
  "daily-sleep-temperature-derivations": { field: "dailySleepTemperatureDerivations", tag: "DailySleepTemperatureDerivations", schema: Sleep.DailySleepTemperatureDerivations },
  "height": { field: "height", tag: "Height", schema: Body.Height },
  "daily-respiratory-rate": { field: "dailyRespiratoryRate", tag: "DailyRespiratoryRate", schema: Vitals.DailyRespiratoryRate },
  "core-body-temperature": { field: "coreBodyTemperature", tag: "CoreBodyTemperature", schema: Vitals.CoreBodyTemperature },
  "blood-glucose": { field: "bloodGlucose", tag: "BloodGlucose", schema: Vitals.BloodGlucose },
  "skin-temperature-sensors": { field: "skinTemperatureSensors", tag: "SkinTemperatureSensors", schema: Vitals.SkinTemperatureSensors },
  "vo2-max": { field: "vo2Max", tag: "Vo2Max", schema: Fitness.VO2Max },
  "daily-vo2-max": { field: "dailyVo2Max", tag: "DailyVo2Max", schema: Fitness.DailyVO2Max },
  "run-vo2-max": { field: "runVo2Max", tag: "RunVo2Max", schema: Fitness.RunVO2Max },
  "hydration-log": { field: "hydrationLog", tag: "HydrationLog", schema: Nutrition.HydrationLog },
  "nutrition-log": { field: "nutritionLog", tag: "NutritionLog", schema: Nutrition.NutritionLog },
  "food": { field: "food", tag: "Food", schema: Nutrition.Food },
  "food-measurement-unit": { field: "foodMeasurementUnit", tag: "FoodMeasurementUnit", schema: Nutrition.FoodMeasurementUnit },
  "menstrual-period": { field: "menstrualPeriod", tag: "MenstrualPeriod", schema: Reproductive.MenstrualPeriod },
  "ovulation-test": { field: "ovulationTest", tag: "OvulationTest", schema: Reproductive.OvulationTest },
  "moods": { field: "moods", tag: "Moods", schema: Wellbeing.Moods },
  "symptoms": { field: "symptoms", tag: "Symptoms", schema: Wellbeing.Symptoms }
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
 * The data types Google serves on the `v4beta` channel only (`DataTypeRules.RULES` marks them):
 * a call for one of them on `v4` is refused before sending.
 *
 * @since 0.1.0
 * @category models
 */
export type V4BetaDataType = "skin-temperature-sensors"

/**
 * The data types both channels serve.
 *
 * @since 0.1.0
 * @category models
 */
export type V4DataType = Exclude<KnownDataType, V4BetaDataType>

/**
 * The decoded value of a known data type.
 *
 * @since 0.1.0
 * @category models
 */
export type ValueOf<K extends KnownDataType> = Schema.Schema.Type<Known[K]["schema"]>

/**
 * A data point of a known type: its tag, data-type id, name (identifiable types only),
 * source, decoded value, and (with `keepRaw: true`) the JSON it came from.
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
    /** The point's JSON, when decoded with `keepRaw: true`. */
    readonly raw?: Readonly<Record<string, unknown>>
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

/**
 * The data types Google serves only through roll-ups (`rollUp`, `dailyRollUp`), not as points.
 *
 * @since 0.1.0
 * @category data types
 */
export const ROLLUP_ONLY = ["total-calories", "calories-in-heart-rate-zone"] as const

declare const UnlistedBrand: unique symbol

/**
 * A data-type id this library does not list (one newer than it), declared with {@link unlisted}.
 *
 * @since 0.1.0
 * @category models
 */
export type Unlisted = string & { readonly [UnlistedBrand]: true }

/**
 * Every data-type id a call takes: a known one (autocompleted), a roll-up-only one, or one
 * declared with {@link unlisted}.
 *
 * @since 0.1.0
 * @category models
 */
export type DataTypeId = KnownDataType | typeof ROLLUP_ONLY[number] | Unlisted

const unlistedIds = new Set<string>()

/**
 * Declares a data type newer than this library (`GoogleDataTypes.unlisted("blood-ketones")`): calls then
 * send it as is and answer its points as JSON (`UnknownDataPoint`). Without it an id outside the
 * registry is refused before sending, naming the nearest known id.
 *
 * @since 0.1.0
 * @category data types
 */
export const unlisted = (id: string): Unlisted => {
  unlistedIds.add(id)
  return id as Unlisted
}

/**
 * The known data-type id nearest to `id` (edit distance), for "did you mean" messages.
 *
 * @since 0.1.0
 * @category data types
 */
export const nearestDataType = (id: string): string => {
  let best = "steps"
  let bestDistance = Infinity
  for (const known of [...Object.keys(KNOWN), ...ROLLUP_ONLY]) {
    const d = editDistance(id, known)
    if (d < bestDistance) {
      best = known
      bestDistance = d
    }
  }
  return best
}

/**
 * Whether a call may name this data type: a known id, a roll-up-only id, or one declared with
 * {@link unlisted}.
 *
 * @since 0.1.0
 * @category data types
 */
export const isDataTypeId = (id: unknown): id is DataTypeId =>
  isKnownDataType(id) || (ROLLUP_ONLY as ReadonlyArray<unknown>).includes(id) || (typeof id === "string" && unlistedIds.has(id))

const dataTypeOfName = (name: unknown): string | undefined =>
  typeof name === "string" ? /\/dataTypes\/([^/]+)\//.exec(name)?.[1] : undefined

/**
 * Options of the data-point decoders.
 *
 * @since 0.1.0
 * @category models
 */
export interface DecodeOptions {
  /**
   * Keep each known point's JSON beside its decoded value (`raw`). Off by default: a point then
   * holds one copy of its data. Points of unknown types always keep their JSON (it is all they have).
   */
  readonly keepRaw?: boolean | undefined
}

const unknownPoint = (input: Record<string, unknown>, name: string | undefined): UnknownDataPoint => {
  const fields: Array<string> = []
  for (const key in input) if (!ENVELOPE.has(key)) fields.push(key)
  const dataType = dataTypeOfName(name) ?? (fields.length === 1 ? kebab(fields[0]!) : undefined)
  return {
    _tag: "Unknown",
    ...(dataType === undefined ? {} : { dataType }),
    ...(name === undefined ? {} : { name }),
    raw: input
  }
}

/** The failure of a value the plain decoder refused: Schema's own error. */
const refused = (schema: Schema.Schema<any, any, never>, input: unknown): Either.Either<never, ParseResult.ParseError> => {
  const again = FastDecode.decoderOf(schema)(input)
  if (Either.isLeft(again)) return again as Either.Either<never, ParseResult.ParseError>
  throw new Error("fastDecode: a value refused by the plain decoder was accepted by Schema")
}

/**
 * Decodes one data point synchronously; see {@link decodeDataPoint}. The decoder of each type is
 * built once and runs without a fiber.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDataPointEither = (
  input: unknown,
  options?: DecodeOptions
): Either.Either<DataPoint, ParseResult.ParseError> => {
  const point = decodePoint(input, options?.keepRaw === true)
  return Either.isEither(point) ? point as Either.Either<never, ParseResult.ParseError> : Either.right(point)
}

/** One data point, or the `Left` of its value's failure. */
const decodePoint = (input: unknown, keepRaw: boolean): DataPoint | Either.Either<never, ParseResult.ParseError> => {
  if (!Predicate.isRecord(input)) return { _tag: "Unknown", raw: input }
  const name = typeof input.name === "string"
    ? input.name
    : typeof input.dataPointName === "string"
    ? input.dataPointName
    : undefined
  let knownField: string | undefined
  let dataType: KnownDataType | undefined
  for (const key in input) {
    if (ENVELOPE.has(key)) continue
    const found = FIELD_TO_TYPE.get(key)
    if (found !== undefined) {
      knownField = key
      dataType = found
      break
    }
  }
  if (dataType === undefined) return unknownPoint(input, name)
  const json = input[knownField!]
  const schema = KNOWN[dataType].schema as Schema.Schema<unknown, unknown, never>
  // `plainDecoderOf` builds each schema's decoder once and keeps it.
  const value = FastDecode.plainDecoderOf(schema)(json)
  if (value === FastDecode.NO) return refused(schema, json)
  let dataSource: unknown = undefined
  if (input.dataSource !== undefined) {
    dataSource = FastDecode.plainDecoderOf(DataSource)(input.dataSource)
    if (dataSource === FastDecode.NO) return refused(DataSource, input.dataSource)
  }
  // One literal per shape (no key added afterwards but `raw`): the point is one allocation.
  const _tag = KNOWN[dataType].tag
  const point: Record<string, unknown> = name === undefined
    ? dataSource === undefined ? { _tag, dataType, value } : { _tag, dataType, dataSource, value }
    : dataSource === undefined
    ? { _tag, dataType, name, value }
    : { _tag, dataType, name, dataSource, value }
  if (keepRaw) point.raw = input
  return point as KnownDataPoint
}

/**
 * Decodes one data point (a `DataPoint` or a `ReconciledDataPoint`). A point of a known type
 * fails only when its value does not match the type's schema; anything else, including a
 * point of an unknown type or a value that is not an object, becomes an {@link UnknownDataPoint}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDataPoint = (input: unknown, options?: DecodeOptions): Effect.Effect<DataPoint, ParseResult.ParseError> =>
  Effect.suspend(() => decodeDataPointEither(input, options))

/**
 * Decodes many data points synchronously, in one loop; the first malformed point fails the
 * whole page. See {@link decodeDataPoint}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDataPointsEither = (
  input: ReadonlyArray<unknown>,
  options?: DecodeOptions
): Either.Either<Array<DataPoint>, ParseResult.ParseError> => {
  const keepRaw = options?.keepRaw === true
  const out = new Array<DataPoint>(input.length)
  for (let i = 0; i < input.length; i++) {
    const point = decodePoint(input[i], keepRaw)
    if (Either.isEither(point)) return point as Either.Either<never, ParseResult.ParseError>
    out[i] = point
  }
  return Either.right(out)
}

/**
 * Decodes many data points; see {@link decodeDataPoint}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDataPoints = (
  input: ReadonlyArray<unknown>,
  options?: DecodeOptions
): Effect.Effect<Array<DataPoint>, ParseResult.ParseError> => Effect.suspend(() => decodeDataPointsEither(input, options))

/**
 * The points of one known type, in order, typed as that type's points; other points are skipped.
 *
 * @since 0.1.0
 * @category accessors
 */
export const pointsOf = <K extends KnownDataType>(
  dataType: K,
  points: Iterable<DataPoint>
): Array<Extract<KnownDataPoint, { readonly dataType: K }>> => {
  const out: Array<Extract<KnownDataPoint, { readonly dataType: K }>> = []
  for (const point of points) {
    if (point._tag !== "Unknown" && point.dataType === dataType) out.push(point as Extract<KnownDataPoint, { readonly dataType: K }>)
  }
  return out
}

/**
 * The values of the points of one known type, in order; other points are skipped.
 *
 * @since 0.1.0
 * @category accessors
 */
export const valuesOf = <K extends KnownDataType>(
  dataType: K,
  points: Iterable<DataPoint>
): Array<ValueOf<K>> => pointsOf(dataType, points).map((point) => point.value as ValueOf<K>)

/**
 * Builds the wire JSON of a data point of a known type: the value under its field, int64 values
 * as strings, plus `name` and `dataSource` when given. `GoogleDataPoints.create` and `patch` call
 * it on the value they are given; use it directly for the raw verbs (`GoogleHealthHttp.post`).
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

/**
 * Milliseconds of a protobuf duration string such as `"3600s"` or `"1.5s"`; `undefined` when malformed.
 *
 * @since 0.1.0
 * @category utils
 */
export const durationMillis = (duration: string | undefined): number | undefined => CivilTime.durationMillis(duration)

/**
 * `YYYY-MM-DD` of a calendar date; `undefined` when a part is missing.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatDate = (date: Schema.Schema.Type<typeof CalendarDate> | undefined): string | undefined =>
  CivilTime.formatDate(date)

/**
 * The calendar date of a `YYYY-MM-DD` string; `undefined` when it is not one.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseDate = (text: string): Schema.Schema.Type<typeof CalendarDate> | undefined => CivilTime.parseDate(text)

