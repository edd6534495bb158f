/**
 * The building blocks of the Google Health data types: proto3 int64 (a JSON string) as a
 * number, calendar dates, times of day, civil date-times, observed intervals and sample times,
 * and data sources.
 *
 * @since 0.1.0
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as FastDecode from "../../internal/fastDecode.js"

/** The number an int64 string (digits, an optional minus, blanks around) or number stands for; `NaN` when it is neither. */
const int64Value = (input: string | number): number =>
  typeof input === "number" ? input : /^-?\d+$/.test(input.trim()) ? Number(input) : Number.NaN

/**
 * A proto3 int64: a JSON string (or number) of digits, decoded to a number, encoded as a string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Int64 = Schema.transformOrFail(Schema.Union(Schema.String, Schema.Number), Schema.Number, {
  strict: true,
  decode: (input, _, ast) => {
    const n = int64Value(input)
    return Number.isFinite(n) ? ParseResult.succeed(n) : ParseResult.fail(new ParseResult.Type(ast, input, "not an int64"))
  },
  encode: (n) => ParseResult.succeed(String(Math.trunc(n)))
}).annotations({
  identifier: "Int64",
  // The same decoding without an `Either` per value, for the compiled decoders.
  [FastDecode.PlainDecode]: (input: unknown) => {
    if (typeof input !== "string" && typeof input !== "number") return FastDecode.NO
    const n = int64Value(input)
    return Number.isFinite(n) ? n : FastDecode.NO
  }
})

/**
 * An int64 count that proto3 leaves out when zero: decoded to a number, 0 when absent.
 *
 * @since 0.1.0
 * @category schemas
 */
export const count = FastDecode.optionalWithDefault(Int64, () => 0)

/**
 * A double that proto3 leaves out when zero: 0 when absent.
 *
 * @since 0.1.0
 * @category schemas
 */
export const num = FastDecode.optionalWithDefault(Schema.Number, () => 0)

/**
 * An optional string field.
 *
 * @since 0.1.0
 * @category schemas
 */
export const str = Schema.optional(Schema.String)

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
 * An optional int64 (no default: absent stays absent).
 *
 * @since 0.1.0
 * @category schemas
 */
export const optInt64 = Schema.optional(Int64)

/**
 * An optional double.
 *
 * @since 0.1.0
 * @category schemas
 */
export const optNum = Schema.optional(Schema.Number)

/**
 * An optional boolean.
 *
 * @since 0.1.0
 * @category schemas
 */
export const optBool = Schema.optional(Schema.Boolean)

/**
 * An optional list of strings (enum values, free text).
 *
 * @since 0.1.0
 * @category schemas
 */
export const strings = Schema.optional(Schema.Array(Schema.String))
