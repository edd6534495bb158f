// The legacy Fitbit paths on Google Health: which paths are Fitbit's (a path Google cannot answer
// is 501, one Fitbit never had is 404 as Fitbit answers it), and the supported path a mistyped one
// is closest to. Nothing is sent to Google for either.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { GoogleHealthConfig, GoogleHealthHttp, LegacyFitbit, RetryPolicy } from "@fitbit-effect/core"
import { MockHttpClient } from "@fitbit-effect/core/testing"

const { LegacyOnGoogle, Routes } = LegacyFitbit

describe("Routes", () => {
  it("tells Fitbit's paths from others", () => {
    for (const path of ["/badges.json", "/friends.json", "/activities/steps/date/today/1d/1min.json", "/foods/log/date/2026-11-25.json", "/activities/123456.tcx", "/sleep/apiSubscriptions/sub-1.json", "/temp/core/date/today.json"]) {
      expect(Routes.isFitbitPath(path), path).toBe(true)
    }
    for (const path of ["/activities/stepz/date/today/1d.json", "/activities/steps.json", "/profile", "/sleeep/date/today.json", "/temp/brain/date/today.json"]) {
      expect(Routes.isFitbitPath(path), path).toBe(false)
    }
    // Every supported path is a Fitbit path.
    const sample: Record<string, string> = { date: "2026-11-25", period: "7d", end: "2026-11-30", start: "08:00", logId: "123" }
    for (const route of Routes.ROUTES) {
      const path = route.path
        .replace("{resource}", route.path.startsWith("/body/") ? "weight" : "steps")
        .replace(/\{(\w+)\}/g, (_, name: string) => sample[name]!)
      expect(Routes.isFitbitPath(path), path).toBe(true)
    }
  })

  it("suggests the supported path a few edits away, keeping the caller's parameters", () => {
    expect(Routes.suggest("GET", "/activities/stepz/date/today/1d.json")?.path).toBe("/activities/steps/date/today/1d.json")
    expect(Routes.suggest("GET", "/activites/distance/date/2026-11-01/2026-11-07.json")?.path).toBe("/activities/distance/date/2026-11-01/2026-11-07.json")
    expect(Routes.suggest("GET", "/activities/heart/date/today/1d.jsn")?.path).toBe("/activities/heart/date/today/1d.json")
    expect(Routes.suggest("GET", "/profile")?.path).toBe("/profile.json")
    expect(Routes.suggest("POST", "/foods/log/watr.json")?.path).toBe("/foods/log/water.json")
    expect(Routes.suggest("GET", "/body/fatt/date/today/30d.json")?.path).toBe("/body/fat/date/today/30d.json")
    // The method counts; far-off paths get no guess; a segment is not rewritten beyond recognition.
    expect(Routes.suggest("DELETE", "/activities/stepz/date/today/1d.json")).toBeUndefined()
    expect(Routes.suggest("GET", "/completely/unknown/thing.json")).toBeUndefined()
    expect(Routes.suggest("GET", "/devices/abc.json")).toBeUndefined()
    expect(Routes.suggest("GET", "/activities/xyzzy/date/today/1d.json")).toBeUndefined()
  })
})

describe("LegacyOnGoogle.answer", () => {
  const setup = () => {
    const mock = MockHttpClient.make(() => ({ status: 500, body: {} }))
    const layer = GoogleHealthHttp.layer.pipe(
      Layer.provideMerge(GoogleHealthConfig.layer({ clientId: "123-abc.apps.googleusercontent.com" })),
      Layer.provideMerge(mock.layer),
      Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
    )
    return { mock, layer }
  }
  const get = (path: string, apiVersion = "1") =>
    LegacyOnGoogle.answer({ method: "GET", path, accessToken: "ya29.legacy-routes-token", apiVersion })

  it.effect("an unknown path is 404 in Fitbit's error shape with a did-you-mean; a Fitbit path Google cannot answer stays 501", () => {
    const { layer, mock } = setup()
    return Effect.gen(function*() {
      expect(yield* get("/activities/stepz/date/today/1d.json")).toEqual({
        status: 404,
        body: {
          errors: [{
            errorType: "not_found",
            message: "The API you are requesting could not be found: GET /1/user/-/activities/stepz/date/today/1d.json. Did you mean GET /1/user/-/activities/steps/date/today/1d.json?"
          }],
          success: false
        }
      })
      // A sleep typo on version 1 is pointed at 1.2, the version the translation answers sleep on.
      const sleep = yield* get("/sleep/dat/today.json")
      expect(sleep.status).toBe(404)
      expect(JSON.stringify(sleep.body)).toContain("Did you mean GET /1.2/user/-/sleep/date/today.json?")
      const nothingNear = yield* get("/nothing/like/this.json")
      expect(nothingNear.status).toBe(404)
      expect(JSON.stringify(nothingNear.body)).not.toContain("Did you mean")
      const badges = yield* get("/badges.json")
      expect(badges.status).toBe(501)
      expect(JSON.stringify(badges.body)).toContain("not_supported")
      const intraday = yield* get("/activities/steps/date/today/1d/1min.json")
      expect(intraday.status).toBe(501)
      expect(mock.requests).toHaveLength(0)
    }).pipe(Effect.provide(layer))
  })
})
