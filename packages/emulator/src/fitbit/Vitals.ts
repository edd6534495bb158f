/**
 * The emulated newer health-metric routes of the Fitbit Web API (version 1): SpO2
 * (`/spo2/date/{date}` and `/{start}/{end}`), HRV (`/hrv/date/…`), breathing rate (`/br/date/…`),
 * cardio fitness (`/cardioscore/date/…`, a VO2 max range) and skin temperature
 * (`/temp/skin/date/…`), from the same numbers as the Google Health data types
 * (`daily-oxygen-saturation`, `daily-heart-rate-variability`, `daily-respiratory-rate`,
 * `daily-vo2-max`, `daily-sleep-temperature-derivations`). Ranges are at most 30 days.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import * as Http from "../Http.js"
import { type CallContext, dataHandler, type Step, U } from "./DataRoute.js"
import { r2, range } from "./Inputs.js"

const METRICS: ReadonlyArray<{
  readonly path: string
  readonly scope: string
  readonly answer: (c: CallContext, dates: ReadonlyArray<string>, single: boolean) => unknown
}> = [
  {
    path: "spo2",
    scope: "oxygen_saturation",
    answer: (c, dates, single) => {
      const days = dates.map((date) => {
        const s = DataGenerator.spo2(c.seed, c.user.userId, date)
        return { dateTime: date, value: { avg: s.avg, min: s.min, max: s.max } }
      })
      return single ? days[0] : days
    }
  },
  {
    path: "hrv",
    scope: "heartrate",
    answer: (c, dates) => ({
      hrv: dates.map((date) => {
        const h = DataGenerator.hrv(c.seed, c.user.userId, date)
        return { dateTime: date, value: { dailyRmssd: h.dailyRmssd, deepRmssd: h.deepRmssd } }
      })
    })
  },
  {
    path: "br",
    scope: "respiratory_rate",
    answer: (c, dates) => ({
      br: dates.map((date) => ({ dateTime: date, value: { breathingRate: DataGenerator.breathingRate(c.seed, c.user.userId, date).full } }))
    })
  },
  {
    path: "cardioscore",
    scope: "cardio_fitness",
    answer: (c, dates) => ({
      cardioScore: dates.map((date) => {
        const v = DataGenerator.vo2Max(c.seed, c.user.userId, date, DataGenerator.ageOn(c.user.dateOfBirth, Date.parse(`${date}T12:00:00Z`)))
        return { dateTime: date, value: { vo2Max: `${Math.round(v.low)}-${Math.round(v.high)}` } }
      })
    })
  },
  {
    path: "temp/skin",
    scope: "temperature",
    answer: (c, dates) => ({
      tempSkin: dates.map((date) => ({
        dateTime: date,
        value: { nightlyRelative: r2(DataGenerator.skinTemperature(c.seed, c.user.userId, date).relative) },
        logType: "dedicated_temp_sensor"
      }))
    })
  }
]

/**
 * The routes, one summary by date and one by date range per metric.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: ReadonlyArray<Step> = METRICS.flatMap((metric) => [
  HttpRouter.get(
    `${U}/${metric.path}/date/:date.json` as `/${string}`,
    dataHandler({ versions: ["1"], scope: metric.scope }, (c) =>
      Effect.map(c.date(c.params.date), (date) => Http.json(metric.answer(c, [date], true))))
  ),
  HttpRouter.get(
    `${U}/${metric.path}/date/:date/:end.json` as `/${string}`,
    dataHandler({ versions: ["1"], scope: metric.scope }, (c) =>
      Effect.map(range(c, c.params.date, c.params.end, 30), (dates) => Http.json(metric.answer(c, dates, false))))
  )
])
