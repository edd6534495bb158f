import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted, Schema } from "effect"
import { FitbitHttp } from "@fitbit-effect/core"
import * as FormBody from "../src/internal/formBody.js"
import { ACCESS_TOKEN, RATE_LIMIT_HEADERS, setup } from "./fixtures.js"

const ok = () => ({ status: 200, body: { ok: true }, headers: RATE_LIMIT_HEADERS })

describe("FitbitHttp verbs: wire format", () => {
  it.effect("GET: /1/user/-/ path, Bearer token, Accept JSON, no body", () => {
    const { layer, mock } = setup(ok)
    return Effect.gen(function*() {
      const response = yield* FitbitHttp.get("/activities/date/2026-11-25.json", Redacted.make(ACCESS_TOKEN))
      const request = mock.requests[0]!
      expect(request.method).toBe("GET")
      expect(request.url).toBe("https://api.fitbit.com/1/user/-/activities/date/2026-11-25.json")
      expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`)
      expect(request.headers.accept).toBe("application/json")
      expect(request.headers["content-type"]).toBeUndefined()
      expect(request.body).toBe("")
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ ok: true })
      expect(response.url).toBe(request.url)
      const rateLimit = Option.getOrThrow(response.rateLimit)
      expect([rateLimit.limit, rateLimit.remaining, rateLimit.resetSeconds]).toEqual([150, 149, 1234])
    }).pipe(Effect.provide(layer))
  })

  it.effect("userId names a Fitbit user, false drops the segment, a query string is kept", () => {
    const { layer, mock } = setup(ok)
    return Effect.gen(function*() {
      yield* FitbitHttp.get("/profile.json", "tok", { userId: "228TQ4" })
      yield* FitbitHttp.get("/foods/search.json?query=apple%20pie", "tok", { userId: false })
      yield* FitbitHttp.get("/profile.json", "tok", { userId: "-" })
      expect(mock.requests.map((r) => r.url)).toEqual([
        "https://api.fitbit.com/1/user/228TQ4/profile.json",
        "https://api.fitbit.com/1/foods/search.json?query=apple%20pie",
        "https://api.fitbit.com/1/user/-/profile.json"
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("per-call apiVersion and the configured default version and base URL", () => {
    const { layer, mock } = setup(ok, { apiVersion: "1.2", apiBaseUrl: "http://127.0.0.1:4100/" })
    return Effect.gen(function*() {
      yield* FitbitHttp.get("/sleep/date/today.json", "tok")
      yield* FitbitHttp.get("/activities/heart/date/today/1d.json", "tok", { apiVersion: "1" })
      expect(mock.requests.map((r) => r.url)).toEqual([
        "http://127.0.0.1:4100/1.2/user/-/sleep/date/today.json",
        "http://127.0.0.1:4100/1/user/-/activities/heart/date/today/1d.json"
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("extra headers merge over the defaults, overriding them case-insensitively", () => {
    const { layer, mock } = setup(ok, { acceptLanguage: "en_US" })
    return Effect.gen(function*() {
      yield* FitbitHttp.get("/profile.json", "tok", {
        headers: { "X-Fitbit-Subscriber-Id": "sub-1", "Accept-Language": "en_GB", accept: "text/plain", "X-Skip": undefined }
      })
      yield* FitbitHttp.get("/profile.json", "tok")
      const [first, second] = mock.requests
      expect(first!.headers).toEqual({
        authorization: "Bearer tok",
        accept: "text/plain",
        "accept-language": "en_GB",
        "x-fitbit-subscriber-id": "sub-1"
      })
      expect(second!.headers).toEqual({ authorization: "Bearer tok", accept: "application/json", "accept-language": "en_US" })
    }).pipe(Effect.provide(layer))
  })

  it.effect("POST and PUT form-encode the body like fitbit-node (qs: brackets, indexes, %20)", () => {
    const { layer, mock } = setup(() => ({ status: 201, body: { activityLog: { logId: 1 } } }))
    const body = {
      activityName: "Morning walk",
      startTime: "07:30",
      durationMillis: 1_800_000,
      manualCalories: 0,
      skip: undefined,
      nothing: null,
      nested: { a: "x y", b: [1, "two"] },
      list: ["p", "q"]
    }
    return Effect.gen(function*() {
      const response = yield* FitbitHttp.post("/activities.json", "tok", body)
      yield* FitbitHttp.put("/activities.json", "tok", body)
      const expected = [
        "activityName=Morning%20walk",
        "startTime=07%3A30",
        "durationMillis=1800000",
        "manualCalories=0",
        "nothing=",
        "nested%5Ba%5D=x%20y",
        "nested%5Bb%5D%5B0%5D=1",
        "nested%5Bb%5D%5B1%5D=two",
        "list%5B0%5D=p",
        "list%5B1%5D=q"
      ].join("&")
      expect(mock.requests.map((r) => r.method)).toEqual(["POST", "PUT"])
      for (const request of mock.requests) {
        expect(request.url).toBe("https://api.fitbit.com/1/user/-/activities.json")
        expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded")
        expect(request.body).toBe(expected)
      }
      expect(response.status).toBe(201)
    }).pipe(Effect.provide(layer))
  })

  it.effect("json: true sends the body as JSON; a string body is sent as is", () => {
    const { layer, mock } = setup(ok)
    return Effect.gen(function*() {
      yield* FitbitHttp.post("/body/log/weight.json", "tok", { weight: 72.5, tags: ["a"] }, { json: true })
      yield* FitbitHttp.post("/foods/log/water.json", "tok", "amount=250&unit=ml")
      expect(mock.requests[0]!.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(mock.requests[0]!.body)).toEqual({ weight: 72.5, tags: ["a"] })
      expect(mock.requests[1]!.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(mock.requests[1]!.body).toBe("amount=250&unit=ml")
    }).pipe(Effect.provide(layer))
  })

  it.effect("DELETE sends no body; a 204 answers with an undefined body", () => {
    const { layer, mock } = setup(() => ({ status: 204 }))
    return Effect.gen(function*() {
      const response = yield* FitbitHttp.del("/sleep/12345.json", "tok", { apiVersion: "1.2" })
      const request = mock.requests[0]!
      expect(request.method).toBe("DELETE")
      expect(request.url).toBe("https://api.fitbit.com/1.2/user/-/sleep/12345.json")
      expect(request.body).toBe("")
      expect(request.headers["content-type"]).toBeUndefined()
      expect(response.status).toBe(204)
      expect(response.body).toBeUndefined()
      expect(Option.isNone(response.rateLimit)).toBe(true)
    }).pipe(Effect.provide(layer))
  })

  it.effect("with a schema the body is decoded", () => {
    const { layer } = setup(() => ({ status: 200, body: { user: { encodedId: "ABC123", age: 40, extra: 1 } } }))
    const Profile = Schema.Struct({ user: Schema.Struct({ encodedId: Schema.String, age: Schema.Number }) })
    return Effect.gen(function*() {
      const response = yield* FitbitHttp.get("/profile.json", "tok", { schema: Profile })
      expect(response.body.user.encodedId).toBe("ABC123")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a body given to GET or DELETE is not sent", () => {
    const { layer, mock } = setup(ok)
    return Effect.gen(function*() {
      const http = yield* FitbitHttp.FitbitHttp
      yield* http.request({ method: "GET", path: "/profile.json", accessToken: "tok", body: { a: 1 } })
      yield* http.request({ method: "DELETE", path: "/activities/1.json", accessToken: "tok", body: "a=1" })
      for (const request of mock.requests) {
        expect(request.body).toBe("")
        expect(request.headers["content-type"]).toBeUndefined()
      }
    }).pipe(Effect.provide(layer))
  })

  it.effect("execute answers non-2xx statuses without failing", () => {
    const { layer } = setup(() => ({ status: 404, body: { errors: [{ errorType: "not_found", message: "gone" }] } }))
    return Effect.gen(function*() {
      const http = yield* FitbitHttp.FitbitHttp
      const response = yield* http.execute({ method: "GET", path: "/x.json", accessToken: "tok" })
      expect(response.status).toBe(404)
    }).pipe(Effect.provide(layer))
  })
})

describe("FormBody", () => {
  it("encodes RFC 3986 reserved characters, dates, booleans and unicode like qs", () => {
    expect(
      FormBody.encode({ q: "a!b'c(d)e*f", when: new Date(Date.UTC(2026, 10, 25, 7, 30)), on: true, name: "Zoë & co" })
    ).toBe("q=a%21b%27c%28d%29e%2Af&when=2026-11-25T07%3A30%3A00.000Z&on=true&name=Zo%C3%AB%20%26%20co")
  })

  it("templateOf hides dates and ids in span names", () => {
    expect(FitbitHttp.templateOf("/activities/date/2026-11-25.json?x=1")).toBe("/activities/date/{date}.json")
    expect(FitbitHttp.templateOf("/sleep/123456789.json")).toBe("/sleep/{id}.json")
  })
})
