// Typed writes: `GoogleDataPoints.create` and `patch` take the data type's schema value, check and
// encode it before sending (an invalid value fails naming its field, nothing sent), and refuse a
// data type whose rules do not list the method, naming the methods it has.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { GoogleDataPoints, GoogleDataTypes, GoogleHealthConfig, GoogleHealthHttp, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"

const ACCESS = "ya29.a0AfB_writes-test-token-000000000000000000"

const setup = () => {
  const mock = MockHttpClient.make(() => ({ status: 200, body: { name: "operations/1", done: true } }))
  const layer = GoogleHealthHttp.layer.pipe(
    Layer.provideMerge(GoogleHealthConfig.layer({ clientId: "123-abc.apps.googleusercontent.com" })),
    Layer.provideMerge(mock.layer),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )
  return { mock, layer }
}

const MORNING = { weightGrams: 71500, sampleTime: { physicalTime: "2026-11-25T07:30:00Z", utcOffset: "3600s" } }

describe("typed writes", () => {
  it.effect("create sends the encoded value under its field, with the name built from the id and the data source", () => {
    const { layer, mock } = setup()
    return Effect.gen(function*() {
      const op = yield* GoogleDataPoints.create(ACCESS, "weight", MORNING, {
        id: "morning-weigh-in",
        dataSource: { recordingMethod: "MANUAL" }
      })
      expect(op.done).toBe(true)
      const [request] = mock.requests
      expect(request!.method).toBe("POST")
      expect(request!.url).toBe("https://health.googleapis.com/v4/users/me/dataTypes/weight/dataPoints")
      expect(JSON.parse(request!.body)).toEqual({
        name: "users/me/dataTypes/weight/dataPoints/morning-weigh-in",
        dataSource: { recordingMethod: "MANUAL" },
        weight: MORNING
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("int64 values go out as strings; the encoded form is read too; patch by { dataType, id }", () => {
    const { layer, mock } = setup()
    const interval = { startTime: "2026-11-25T09:00:00Z", endTime: "2026-11-25T10:00:00Z" }
    return Effect.gen(function*() {
      yield* GoogleDataPoints.create(ACCESS, "exercise", { interval, exerciseType: "RUNNING", metricsSummary: { steps: 5400 } })
      expect(JSON.parse(mock.requests[0]!.body).exercise.metricsSummary).toEqual({ steps: "5400" })
      const encoded = { interval, exerciseType: "RUNNING", metricsSummary: { steps: "5400" } }
      yield* GoogleDataPoints.create(ACCESS, "exercise", encoded as never)
      expect(JSON.parse(mock.requests[1]!.body).exercise.metricsSummary).toEqual({ steps: "5400" })
      yield* GoogleDataPoints.patch(ACCESS, { dataType: "hydration-log", id: "glass-1" }, { amountConsumed: { milliliters: 330 }, interval })
      expect(mock.requests[2]!.method).toBe("PATCH")
      expect(mock.requests[2]!.url).toBe("https://health.googleapis.com/v4/users/me/dataTypes/hydration-log/dataPoints/glass-1")
      expect(JSON.parse(mock.requests[2]!.body)).toEqual({
        name: "users/me/dataTypes/hydration-log/dataPoints/glass-1",
        hydrationLog: { amountConsumed: { milliliters: 330 }, interval }
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("an invalid value fails before anything is sent, naming the field to fix", () => {
    const { layer, mock } = setup()
    return Effect.gen(function*() {
      const noTime = yield* Effect.flip(GoogleDataPoints.create(ACCESS, "weight", { weightGrams: 70000 } as never))
      expect(noTime).toMatchObject({ _tag: "InvalidInput", field: "dataPoint.sampleTime" })
      expect(noTime.message).toContain("is not a valid weight value")
      const noInterval = yield* Effect.flip(
        GoogleDataPoints.patch(ACCESS, "users/me/dataTypes/hydration-log/dataPoints/glass-1", { amountConsumed: { milliliters: 1 } })
      )
      expect(noInterval).toMatchObject({ _tag: "InvalidInput", field: "dataPoint.interval" })
      const badTime = yield* Effect.flip(
        GoogleDataPoints.create(ACCESS, "weight", { weightGrams: 1, sampleTime: { physicalTime: 7 } } as never)
      )
      expect(badTime).toMatchObject({ _tag: "InvalidInput", field: "dataPoint.sampleTime.physicalTime" })
      // The point's JSON where its value belongs: told so.
      const wrapped = yield* Effect.flip(GoogleDataPoints.create(ACCESS, "weight", { weight: MORNING } as never))
      expect(wrapped.message).toContain(`pass its value (the object under "weight")`)
      const notObject = yield* Effect.flip(GoogleDataPoints.create(ACCESS, "weight", "70kg" as never))
      expect(notObject).toMatchObject({ _tag: "InvalidInput", field: "dataPoint" })
      const badId = yield* Effect.flip(GoogleDataPoints.create(ACCESS, "weight", MORNING, { id: "Morning Weigh-In" }))
      expect(badId).toMatchObject({ _tag: "InvalidInput", field: "id" })
      expect(mock.requests).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a data type without create or patch is refused, naming the methods it supports; nothing is sent", () => {
    const { layer, mock } = setup()
    const interval = { startTime: "2026-11-25T07:00:00Z", endTime: "2026-11-25T07:01:00Z" }
    return Effect.gen(function*() {
      const steps = yield* Effect.flip(GoogleDataPoints.create(ACCESS, "steps", { count: 5, interval }))
      expect(steps).toMatchObject({ _tag: "InvalidInput", field: "dataType" })
      expect(steps.message).toContain("steps does not support create (Google's rule for steps: list, reconcile, rollUp, dailyRollUp)")
      const ecg = yield* Effect.flip(GoogleDataPoints.patch(ACCESS, "users/me/dataTypes/electrocardiogram/dataPoints/ecg-1", {}))
      expect(ecg.message).toContain("electrocardiogram does not support patch (Google's rule for electrocardiogram: list, get, reconcile)")
      // Refused on the rules before the value is looked at.
      const rolled = yield* Effect.flip(GoogleDataPoints.create(ACCESS, "total-calories", {}))
      expect(rolled.message).toContain("total-calories does not support create (Google's rule for total-calories: rollUp, dailyRollUp)")
      expect(mock.requests).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a type declared unlisted is sent as the JSON given (no schema here)", () => {
    const { layer, mock } = setup()
    return Effect.gen(function*() {
      const future = { skinConductance: { microsiemens: 2.5 } }
      yield* GoogleDataPoints.create(ACCESS, GoogleDataTypes.unlisted("skin-conductance"), future, { id: "sc-0001" })
      expect(JSON.parse(mock.requests[0]!.body)).toEqual({ ...future, name: "users/me/dataTypes/skin-conductance/dataPoints/sc-0001" })
    }).pipe(Effect.provide(layer))
  })

  it.effect("patch by name checks the name's data type as a given one: a typo is refused with a did-you-mean, nothing sent", () => {
    const { layer, mock } = setup()
    return Effect.gen(function*() {
      const error = yield* Effect.flip(GoogleDataPoints.patch(ACCESS, "users/me/dataTypes/wieght/dataPoints/x", MORNING as never))
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "dataType" })
      expect(error.message).toContain(`did you mean "weight"`)
      expect(mock.requests).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })
})
