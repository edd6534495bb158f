// The Google Health webhook endpoint: the two-POST verification handshake, notifications,
// refusals, and the three ways to mount it.
import { HttpApp } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { GoogleHealthWebhook } from "@fitbit-effect/core"

const SECRET = "Bearer 7c1e9a0b2d4f6e8a0b1c3d5e7f9a1b3c"
const verification = JSON.stringify({ type: "verification" })

describe("handle", () => {
  it.effect("verification: 201 with the configured Authorization, 401 without, 403 with another", () =>
    Effect.gen(function*() {
      const run = GoogleHealthWebhook.handle({ secret: Redacted.make(SECRET) })
      const json = { "content-type": "application/json" }
      expect((yield* run({ method: "POST", headers: { ...json, Authorization: SECRET }, body: verification })).status).toBe(201)
      expect((yield* run({ method: "POST", headers: json, body: verification })).status).toBe(401)
      expect((yield* run({ method: "POST", headers: { ...json, authorization: "Bearer wrong" }, body: verification })).status).toBe(403)
      expect((yield* run({ method: "POST", headers: { ...json, authorization: `${SECRET} ` }, body: verification })).status).toBe(403)
      expect((yield* run({ method: "POST", headers: { authorization: [SECRET] }, body: verification })).status).toBe(201)
    }))

  /** An item as integrators observe Google's live notifications. */
  const item = (dataType: string, operation = "UPSERT", extra: Record<string, unknown> = {}) => ({
    data: {
      version: "1",
      clientProvidedSubscriptionName: "subscriptions/steps",
      healthUserId: "112233445566778899",
      operation,
      dataType,
      intervals: [{
        physicalTimeInterval: { startTime: "2026-11-25T08:00:00Z", endTime: "2026-11-25T09:00:00Z" },
        civilDateTimeInterval: { start: { date: { year: 2026, month: 11, day: 25 }, time: { hours: 8 } }, end: { date: { year: 2026, month: 11, day: 25 }, time: { hours: 9 } } },
        civilIso8601TimeInterval: "2026-11-25T08:00:00/2026-11-25T09:00:00"
      }],
      ...extra
    }
  })

  it.effect("an array of items, as Google posts them, reaches the application typed, with the signature and the raw body", () =>
    Effect.gen(function*() {
      const seen: Array<GoogleHealthWebhook.Delivery> = []
      const run = GoogleHealthWebhook.handle({ secret: SECRET, onNotifications: (d) => Effect.sync(() => void seen.push(d)) })
      const body = JSON.stringify([item("steps"), item("sleep", "DELETE"), item("blood-ketones", "UPDATE", { newField: 1 })])
      const ok = yield* run({ method: "POST", headers: { authorization: SECRET, "x-healthapi-signature": "MEUCIQ" }, body: new TextEncoder().encode(body) })
      expect(ok).toEqual({ status: 204, headers: {}, body: "" })
      expect(seen).toHaveLength(1)
      const delivery = seen[0]!
      expect(delivery.notifications.map((n) => [n.dataType, n.operation])).toEqual([["steps", "UPSERT"], ["sleep", "DELETE"], ["blood-ketones", "UPDATE"]])
      expect(delivery.notifications[0]!.intervals[0]!.physicalTimeInterval).toEqual({ startTime: "2026-11-25T08:00:00Z", endTime: "2026-11-25T09:00:00Z" })
      expect(delivery.notifications[0]!.intervals[0]!.civilDateTimeInterval?.start?.date).toEqual({ year: 2026, month: 11, day: 25 })
      // An operation and a data type this library does not know, and a field Google added, are kept.
      expect(delivery.notifications[2]).toMatchObject({ operation: "UPDATE", dataType: "blood-ketones", newField: 1 })
      expect(delivery.unreadable).toEqual([])
      expect(delivery.signature).toBe("MEUCIQ")
      expect(new TextDecoder().decode(delivery.rawBody)).toBe(body)
    }))

  it.effect("a single item is a delivery of one; a malformed item is handed over as unreadable, the rest delivered (never redelivered for a week)", () =>
    Effect.gen(function*() {
      const seen: Array<GoogleHealthWebhook.Delivery> = []
      const run = GoogleHealthWebhook.handle({ secret: SECRET, onNotifications: (d) => Effect.sync(() => void seen.push(d)) })
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: JSON.stringify(item("weight")) })).status).toBe(204)
      expect(seen[0]!.notifications.map((n) => n.dataType)).toEqual(["weight"])
      expect(seen[0]!.signature).toBeUndefined()
      const mixed = JSON.stringify([item("steps"), { data: { operation: "UPSERT" } }, 42])
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: mixed })).status).toBe(204)
      expect(seen[1]!.notifications.map((n) => n.dataType)).toEqual(["steps"])
      expect(seen[1]!.unreadable.map((u) => u.item)).toEqual([{ data: { operation: "UPSERT" } }, 42])
      expect(seen[1]!.unreadable[0]!.reason).toContain("healthUserId")
    }))

  it.effect("refusals: not POST 405, not JSON 400, neither an item nor an array 400, too large 413, no Authorization 401", () =>
    Effect.gen(function*() {
      const seen: Array<GoogleHealthWebhook.Delivery> = []
      const run = GoogleHealthWebhook.handle({ secret: SECRET, maxBodyBytes: 64, onNotifications: (d) => Effect.sync(() => void seen.push(d)) })
      expect((yield* run({ method: "GET", headers: { authorization: SECRET }, body: "" }))).toMatchObject({ status: 405, headers: { allow: "POST" } })
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: "{not json" })).status).toBe(400)
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: "42" })).status).toBe(400)
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: JSON.stringify({ dataType: "steps" }) })).status).toBe(400)
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: JSON.stringify({ pad: "x".repeat(100) }) })).status).toBe(413)
      expect((yield* run({ method: "POST", headers: {}, body: "[]" })).status).toBe(401)
      expect(seen).toHaveLength(0)
    }))

  it.effect("a failing or throwing application answers 500 so that Google redelivers", () =>
    Effect.gen(function*() {
      const failing = GoogleHealthWebhook.handle({ secret: SECRET, onNotifications: () => Effect.fail("db down") })
      expect((yield* failing({ method: "POST", headers: { authorization: SECRET }, body: "[]" })).status).toBe(500)
      const dying = GoogleHealthWebhook.handle({ secret: SECRET, onNotifications: () => Effect.die(new Error("bug")) })
      expect((yield* dying({ method: "POST", headers: { authorization: SECRET }, body: "[]" })).status).toBe(500)
    }))

  it.effect("constantTimeEquals compares whole values of any length", () =>
    Effect.gen(function*() {
      expect(yield* GoogleHealthWebhook.constantTimeEquals(SECRET, SECRET)).toBe(true)
      expect(yield* GoogleHealthWebhook.constantTimeEquals(SECRET, SECRET.slice(0, -1))).toBe(false)
      expect(yield* GoogleHealthWebhook.constantTimeEquals("", "")).toBe(true)
      expect(yield* GoogleHealthWebhook.constantTimeEquals("a", "b")).toBe(false)
    }))
})

describe("mounting", () => {
  it("as an @effect/platform HTTP app", async () => {
    const handler = HttpApp.toWebHandler(GoogleHealthWebhook.httpApp({ secret: SECRET }))
    const post = (headers: Record<string, string>, body: string) =>
      handler(new Request("http://localhost/google-health", { method: "POST", headers, body }))
    const accepted = await post({ authorization: SECRET, "content-type": "application/json" }, verification)
    expect(accepted.status).toBe(201)
    expect(await accepted.json()).toEqual({})
    const refused = await post({ "content-type": "application/json" }, verification)
    expect(refused.status).toBe(401)
    expect(JSON.stringify(await refused.json())).not.toContain(SECRET)
    const notified = await post({ authorization: SECRET }, JSON.stringify([{ data: { healthUserId: "1", operation: "UPSERT", dataType: "sleep" } }]))
    expect(notified.status).toBe(204)
  })

  it("as a framework-free function", async () => {
    const received: Array<string> = []
    const handler = GoogleHealthWebhook.makeHandler({ secret: SECRET, onNotifications: async (d) => void received.push(...d.notifications.map((n) => n.dataType)) })
    expect((await handler("POST", { authorization: SECRET }, verification)).status).toBe(201)
    expect((await handler("POST", {}, verification)).status).toBe(401)
    expect((await handler("POST", { authorization: SECRET }, JSON.stringify([{ data: { healthUserId: "1", operation: "UPSERT", dataType: "weight" } }]))).status).toBe(204)
    expect(received).toEqual(["weight"])
    const throwing = GoogleHealthWebhook.makeHandler({ secret: SECRET, onNotifications: () => Promise.reject(new Error("nope")) })
    expect((await throwing("POST", { authorization: SECRET }, "[]")).status).toBe(500)
  })

  it("the option's old name (onNotification) is refused when the handler is built, not dropped at every delivery", () => {
    const old = { secret: SECRET, onNotification: () => {} } as never
    expect(() => GoogleHealthWebhook.makeHandler(old)).toThrow(/onNotifications/)
    expect(() => GoogleHealthWebhook.handle(old)).toThrow(/onNotifications/)
    expect(() => GoogleHealthWebhook.httpApp(old)).toThrow(/onNotifications/)
  })
})
