/**
 * Building the emulator's generated Google data points: an interval, a sample or a daily
 * point of one data type for one user, with physical and civil times and a data source.
 *
 * @since 0.1.0
 */
import type * as Registry from "../../Registry.js"
import type { Point } from "../GoogleData.js"
import { civil, civilJson, dateJson, offsetText, physical, rfc3339 } from "../Time.js"

/**
 * An observed interval with its offsets and civil times.
 *
 * @since 0.1.0
 */
export const interval = (start: number, end: number, offset: number) => ({
  startTime: rfc3339(start),
  endTime: rfc3339(end),
  startUtcOffset: offsetText(offset),
  endUtcOffset: offsetText(offset),
  civilStartTime: civilJson(civil(start, offset)),
  civilEndTime: civilJson(civil(end, offset))
})

/**
 * A sample time with its offset and civil time.
 *
 * @since 0.1.0
 */
export const sampleTime = (at: number, offset: number) => ({
  physicalTime: rfc3339(at),
  utcOffset: offsetText(offset),
  civilTime: civilJson(civil(at, offset))
})

/**
 * The data source of tracker data.
 *
 * @since 0.1.0
 */
export const TRACKER = {
  recordingMethod: "PASSIVELY_MEASURED",
  platform: "FITBIT",
  device: { displayName: "Charge 6", formFactor: "FITNESS_BAND", manufacturer: "Fitbit" }
}
/**
 * The data source of scale data.
 *
 * @since 0.1.0
 */
export const SCALE = {
  recordingMethod: "PASSIVELY_MEASURED",
  platform: "FITBIT",
  device: { displayName: "Aria Air", formFactor: "SCALE", manufacturer: "Fitbit" }
}

/**
 * Minutes per interval point of steps and distance.
 *
 * @since 0.1.0
 */
export const BUCKET = 15

/**
 * An interval data point.
 *
 * @since 0.1.0
 */
export const intervalPoint = (
  dataType: string,
  user: Registry.User,
  start: number,
  end: number,
  field: string,
  value: Record<string, unknown>,
  dataSource: Record<string, unknown> = TRACKER
): Point => {
  const offset = user.offsetFromUTCMillis
  return {
    dataType,
    json: { dataSource, [field]: { ...value, interval: interval(start, end, offset) } },
    civilStart: civil(start, offset),
    civilEnd: civil(end, offset),
    start,
    end,
    date: civil(start, offset).slice(0, 10)
  }
}

/**
 * A sample data point, identifiable when `id` is given.
 *
 * @since 0.1.0
 */
export const samplePoint = (
  dataType: string,
  user: Registry.User,
  at: number,
  field: string,
  value: Record<string, unknown>,
  options: { readonly id?: string; readonly healthUserId?: string; readonly dataSource?: Record<string, unknown> } = {}
): Point => {
  const offset = user.offsetFromUTCMillis
  return {
    dataType,
    json: {
      ...(options.id === undefined ? {} : { name: `users/${options.healthUserId}/dataTypes/${dataType}/dataPoints/${options.id}` }),
      dataSource: options.dataSource ?? TRACKER,
      [field]: { ...value, sampleTime: sampleTime(at, offset) }
    },
    civilStart: civil(at, offset),
    civilEnd: civil(at, offset),
    start: at,
    end: at,
    date: civil(at, offset).slice(0, 10),
    ...(options.id === undefined ? {} : { id: options.id })
  }
}

/**
 * A daily data point.
 *
 * @since 0.1.0
 */
export const dailyPoint = (dataType: string, user: Registry.User, date: string, field: string, value: Record<string, unknown>): Point => {
  const start = physical(`${date}T00:00:00`, user.offsetFromUTCMillis)
  return {
    dataType,
    json: { dataSource: TRACKER, [field]: { ...value, date: dateJson(date) } },
    civilStart: `${date}T00:00:00`,
    civilEnd: `${date}T00:00:00`,
    start,
    end: start,
    date
  }
}


/**
 * The data source of what the user logged by hand in the app.
 *
 * @since 0.1.0
 */
export const MANUAL = { recordingMethod: "MANUAL", platform: "FITBIT" }

/**
 * The epoch milliseconds of a minute of a day (minutes after local midnight).
 *
 * @since 0.1.0
 */
export const atMinute = (day: { readonly midnight: number }, minute: number): number => day.midnight + minute * 60_000
