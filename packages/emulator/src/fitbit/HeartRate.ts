/**
 * The emulated heart-rate routes: daily series with zones and resting heart rate, and intraday.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as Effect from "effect/Effect"
import * as DataGenerator from "../DataGenerator.js"
import * as Http from "../Http.js"
import { ANY_VERSION, type CallContext, dataHandler, type Step, U, validation } from "./DataRoute.js"
import { range, timeWindow } from "./Inputs.js"

const heartDay = (context: CallContext, date: string) => ({
  dateTime: date,
  value: {
    customHeartRateZones: [],
    heartRateZones: DataGenerator.heartRateZones(context.seed, context.user.userId, date),
    restingHeartRate: DataGenerator.restingHeartRate(context.seed, context.user.userId, date)
  }
})

/**
 * The day entry of a windowed intraday answer (`…/time/HH:mm/HH:mm.json`), as the service sends
 * it: the zones lifted beside `dateTime`, and `value` the window's mean heart rate as a string.
 */
const windowedHeartDay = (context: CallContext, date: string, dataset: ReadonlyArray<{ readonly value: number }>) => {
  const { value, ...day } = heartDay(context, date)
  const mean = dataset.length === 0 ? 0 : dataset.reduce((sum, point) => sum + point.value, 0) / dataset.length
  return { ...day, customHeartRateZones: value.customHeartRateZones, heartRateZones: value.heartRateZones, value: String(Math.round(mean * 10) / 10) }
}

const DETAIL_SECONDS: Record<string, number> = { "1sec": 5, "1min": 60, "5min": 300, "15min": 900 }

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
          "activities-heart": [c.params.start === undefined ? heartDay(c, date) : windowedHeartDay(c, date, dataset)],
          "activities-heart-intraday": {
            dataset,
            datasetInterval: interval === 5 ? 1 : interval / 60,
            datasetType: interval === 5 ? "second" : "minute"
          }
        })
      }))

/**
 * The heart-rate routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes: ReadonlyArray<Step> = [
  HttpRouter.get(
    `${U}/activities/heart/date/:date/:period.json`,
    dataHandler({ versions: ANY_VERSION, scope: "heartrate" }, (c) =>
      Effect.map(range(c, c.params.date, c.params.period), (dates) =>
        Http.json({ "activities-heart": dates.map((d) => heartDay(c, d)) })))
  ),
  ...[`${U}/activities/heart/date/:date/1d/:detail.json`, `${U}/activities/heart/date/:date/1d/:detail/time/:start/:end.json`].map(
    (path) => HttpRouter.get(path as `/${string}`, heartIntraday)
  ),
]
