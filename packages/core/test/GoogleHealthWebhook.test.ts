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

  it.effect("notifications reach the application once authorised; refusals otherwise", () =>
    Effect.gen(function*() {
      const seen: Array<GoogleHealthWebhook.Notification> = []
      const run = GoogleHealthWebhook.handle({
        secret: SECRET,
        maxBodyBytes: 64,
        onNotification: (n) => Effect.sync(() => void seen.push(n))
      })
      const ok = yield* run({
        method: "POST",
        headers: { authorization: SECRET, "x-healthapi-signature": "MEUCIQ" },
        body: new TextEncoder().encode(JSON.stringify({ dataType: "steps" }))
      })
      expect(ok).toEqual({ status: 204, headers: {}, body: "" })
      expect(seen).toEqual([{ payload: { dataType: "steps" }, signature: "MEUCIQ" }])
      expect((yield* run({ method: "GET", headers: { authorization: SECRET }, body: "" }))).toMatchObject({ status: 405, headers: { allow: "POST" } })
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: "{not json" })).status).toBe(400)
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: "[1,2]" })).status).toBe(400)
      expect((yield* run({ method: "POST", headers: { authorization: SECRET }, body: JSON.stringify({ pad: "x".repeat(100) }) })).status).toBe(413)
      expect((yield* run({ method: "POST", headers: {}, body: "{}" })).status).toBe(401)
      expect(seen).toHaveLength(1)
    }))

  it.effect("a failing or throwing application answers 500 so that Google retries", () =>
    Effect.gen(function*() {
      const failing = GoogleHealthWebhook.handle({ secret: SECRET, onNotification: () => Effect.fail("db down") })
      expect((yield* failing({ method: "POST", headers: { authorization: SECRET }, body: "{}" })).status).toBe(500)
      const dying = GoogleHealthWebhook.handle({ secret: SECRET, onNotification: () => Effect.die(new Error("bug")) })
      expect((yield* dying({ method: "POST", headers: { authorization: SECRET }, body: "{}" })).status).toBe(500)
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
    const notified = await post({ authorization: SECRET }, JSON.stringify({ dataType: "sleep" }))
    expect(notified.status).toBe(204)
  })

  it("as a framework-free function", async () => {
    const received: Array<unknown> = []
    const handler = GoogleHealthWebhook.makeHandler({ secret: SECRET, onNotification: async (n) => void received.push(n.payload) })
    expect((await handler("POST", { authorization: SECRET }, verification)).status).toBe(201)
    expect((await handler("POST", {}, verification)).status).toBe(401)
    expect((await handler("POST", { authorization: SECRET }, JSON.stringify({ dataType: "weight" }))).status).toBe(204)
    expect(received).toEqual([{ dataType: "weight" }])
    const throwing = GoogleHealthWebhook.makeHandler({ secret: SECRET, onNotification: () => Promise.reject(new Error("nope")) })
    expect((await throwing("POST", { authorization: SECRET }, "{}")).status).toBe(500)
  })
})
