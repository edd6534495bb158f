import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Redacted, Schema, Stream } from "effect"
import { FitbitResources } from "@fitbit-effect/core"
import * as LogCollection from "../src/fitbit/resources/LogCollection.js"
import { ACCESS_TOKEN, refusedBeforeSending, type RefusalCase, setup } from "./fixtures.js"

const { Common } = FitbitResources
const API = "https://api.fitbit.com"
const token = Redacted.make(ACCESS_TOKEN)

// A made-up collection, so that nothing here leans on a real resource's path or version.
const Thing = Common.open({ logId: Schema.Number })
const ThingPage = Common.open({ things: Schema.Array(Thing), pagination: Common.Pagination })
const THINGS = { path: "/things", apiVersion: "1.2", page: ThingPage, field: "things" } as const
const PLAIN: LogCollection.LogCollection = { path: "/plain/log" }

const page = (ids: ReadonlyArray<number>, next: string) => ({ things: ids.map((logId) => ({ logId })), pagination: { next } })

describe("LogCollection", () => {
  it.effect("list reads {path}/list.json with the checked query, on the collection's version", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: page([1], "") }))
    return Effect.gen(function*() {
      const first = yield* LogCollection.list(THINGS, token, { afterDate: "2026-11-01", limit: 1 }, { userId: "228TQ4" })
      expect(first.things).toEqual([{ logId: 1 }])
      expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `GET ${API}/1.2/user/228TQ4/things/list.json?afterDate=2026-11-01&sort=asc&limit=1&offset=0`
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("streamList answers the logs under the collection's field, page after page", () => {
    const q = (offset: number) => `/1.2/user/-/things/list.json?beforeDate=2026-11-25&sort=desc&limit=2&offset=${offset}`
    const { layer, mock } = setup((request) =>
      request.url.endsWith("offset=0")
        ? { status: 200, body: page([1, 2], `${API}${q(2)}`) }
        : { status: 200, body: page([3], "") }
    )
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(LogCollection.streamList(THINGS, token, { beforeDate: "2026-11-25", limit: 2 }, undefined))
      expect(Chunk.toReadonlyArray(all)).toEqual([{ logId: 1 }, { logId: 2 }, { logId: 3 }])
      expect(mock.requests.map((r) => r.url)).toEqual([API + q(0), API + q(2)])
    }).pipe(Effect.provide(layer))
  })

  it.effect("byDate, create and deleteLog address {path}/date/{date}.json, {path}.json and {path}/{logId}.json", () => {
    const { layer, mock } = setup((request) =>
      request.method === "DELETE" ? { status: 204 } : { status: request.method === "POST" ? 201 : 200, body: { logId: 7 } }
    )
    return Effect.gen(function*() {
      expect(yield* LogCollection.byDate(PLAIN, Thing, token, { date: "2026-11-25" }, undefined)).toEqual({ logId: 7 })
      expect(yield* LogCollection.create(THINGS, Thing, token, { amount: 250, date: "2026-11-25" }, undefined)).toEqual({ logId: 7 })
      yield* LogCollection.deleteLog(PLAIN, token, { logId: "7" }, { headers: { "Accept-Language": "en_US" } })
      expect(mock.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `GET ${API}/1/user/-/plain/log/date/2026-11-25.json`,
        `POST ${API}/1.2/user/-/things.json`,
        `DELETE ${API}/1/user/-/plain/log/7.json`
      ])
      expect(mock.requests[1]!.body).toBe("amount=250&date=2026-11-25")
      expect(mock.requests[2]!.headers["accept-language"]).toBe("en_US")
    }).pipe(Effect.provide(layer))
  })

  it.effect("the collection's version wins over one in the options; without one, the options' own is kept", () => {
    const { layer, mock } = setup(() => ({ status: 200, body: { logId: 7 } }))
    // `CallOptions` has no `apiVersion`: an untyped caller may still pass one, as before LogCollection.
    const options = { apiVersion: "1.1" } as FitbitResources.Common.CallOptions
    return Effect.gen(function*() {
      yield* LogCollection.byDate(THINGS, Thing, token, { date: "today" }, options)
      yield* LogCollection.byDate(PLAIN, Thing, token, { date: "today" }, options)
      expect(mock.requests.map((r) => r.url)).toEqual([
        `${API}/1.2/user/-/things/date/today.json`,
        `${API}/1.1/user/-/plain/log/date/today.json`
      ])
    }).pipe(Effect.provide(layer))
  })

  describe("bad parameters never reach the network", () => {
    const cases: ReadonlyArray<RefusalCase> = [
      ["byDate 2026-02-30", "date", LogCollection.byDate(PLAIN, Thing, token, { date: "2026-02-30" }, undefined)],
      ["list with no date", "beforeDate", LogCollection.list(THINGS, token, {} as never, undefined)],
      ["streamList limit 0", "limit", Stream.runCollect(LogCollection.streamList(THINGS, token, { beforeDate: "2026-11-25", limit: 0 }, undefined))],
      ["streamList maxPages 0", "maxPages", Stream.runCollect(LogCollection.streamList(THINGS, token, { beforeDate: "2026-11-25" }, { maxPages: 0 }))],
      ["deleteLog ../1", "logId", LogCollection.deleteLog(PLAIN, token, { logId: "../1" }, undefined)]
    ]
    refusedBeforeSending(cases)
  })
})
