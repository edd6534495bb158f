import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import { FitbitResources } from "@fitbit-effect/core"
import * as TimeSeries from "../src/fitbit/resources/TimeSeries.js"
import { ACCESS_TOKEN, refusedBeforeSending, type RefusalCase, setup } from "./fixtures.js"

const { Common } = FitbitResources
const API = "https://api.fitbit.com"
const token = Redacted.make(ACCESS_TOKEN)

// A made-up resource, so that nothing here leans on a real one's path or key.
const Answer = Common.open({ "things-count": Schema.Array(Common.TimeSeriesPoint) })
const Day = Common.open({ dataset: Schema.Array(Common.IntradayPoint) })
const DETAILS = ["1min", "15min"] as const

describe("TimeSeries", () => {
  it.effect("daily reads {path}{range}.json by period or by dates and answers the days under the key", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: { "things-count": [{ dateTime: "2026-11-25", value: "12" }], other: 1 } }))
    return Effect.gen(function*() {
      const days = yield* TimeSeries.daily(Answer, "things-count", "/things/count", { date: "today", period: "7d" }, token, undefined)
      expect(days).toEqual([{ dateTime: "2026-11-25", value: 12 }])
      yield* TimeSeries.daily(Answer, "things-count", "/things/count", { startDate: "2026-11-01", endDate: "2026-11-25" }, token, {
        userId: "228TQ4"
      })
      expect(mock.requests.map((r) => r.url)).toEqual([
        `${API}/1/user/-/things/count/date/today/7d.json`,
        `${API}/1/user/228TQ4/things/count/date/2026-11-01/2026-11-25.json`
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("intraday reads {path}/date/{date}/1d/{detail}.json, with the time window when one is given", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: { dataset: [{ time: "08:00:00", value: 3 }] } }))
    return Effect.gen(function*() {
      const day = yield* TimeSeries.intraday(Day, "/things/count", DETAILS, { date: "2026-11-25", detailLevel: "1min" }, token, undefined)
      expect(day.dataset).toEqual([{ time: "08:00:00", value: 3 }])
      yield* TimeSeries.intraday(
        Day,
        "/things/count",
        DETAILS,
        { date: "today", detailLevel: "15min", startTime: "08:00", endTime: "08:30" },
        token,
        undefined
      )
      expect(mock.requests.map((r) => r.url)).toEqual([
        `${API}/1/user/-/things/count/date/2026-11-25/1d/1min.json`,
        `${API}/1/user/-/things/count/date/today/1d/15min/time/08:00/08:30.json`
      ])
    }).pipe(Effect.provide(layer))
  })

  describe("bad parameters never reach the network", () => {
    const daily = (range: FitbitResources.Common.DateRange) => TimeSeries.daily(Answer, "things-count", "/things/count", range, token, undefined)
    const intraday = (params: TimeSeries.IntradayParams<typeof DETAILS[number]>) =>
      TimeSeries.intraday(Day, "/things/count", DETAILS, params, token, undefined)
    const cases: ReadonlyArray<RefusalCase> = [
      ["daily period 2d", "period", daily({ date: "today", period: "2d" as "1d" })],
      ["daily start after end", "startDate", daily({ startDate: "2026-11-25", endDate: "2026-11-01" })],
      ["intraday date 2026-02-30", "date", intraday({ date: "2026-02-30", detailLevel: "1min" })],
      ["intraday detail 5min (not offered)", "detailLevel", intraday({ date: "today", detailLevel: "5min" as "1min" })],
      ["intraday endTime alone", "startTime", intraday({ date: "today", detailLevel: "1min", endTime: "09:00" })]
    ]
    refusedBeforeSending(cases)
  })
})
