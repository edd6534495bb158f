import { HttpApp } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Redacted } from "effect"
import { createHmac } from "node:crypto"
import { FitbitWebhook } from "@fitbit-effect/core"
import { constantTimeEqual } from "../src/internal/secret.js"

const CLIENT_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
const VERIFICATION_CODE = "6f4cd7a2e4b0a1c3d5e7f9b1a3c5e7f9d1b3a5c7e9f1a3b5c7d9e1f3a5b7c9d1"
const config = { clientSecret: Redacted.make(CLIENT_SECRET), verificationCode: VERIFICATION_CODE }

/** The expected signature, computed independently with node:crypto. */
const expectedSignature = (body: string | Uint8Array, secret = CLIENT_SECRET) =>
  createHmac("sha1", `${secret}&`).update(body).digest("base64")

const notifications = [
  { collectionType: "activities", date: "2026-11-25", ownerId: "ABC123", ownerType: "user", subscriptionId: "user-42-activities" },
  { collectionType: "sleep", date: "2026-11-25", ownerId: "ABC123", ownerType: "user", subscriptionId: "user-42-sleep" }
]
const body = JSON.stringify(notifications)

describe("signatures", () => {
  it.effect("sign matches HMAC-SHA1 keyed with client_secret + '&', base64", () =>
    Effect.gen(function*() {
      expect(yield* FitbitWebhook.sign(CLIENT_SECRET, body)).toBe(expectedSignature(body))
      expect(yield* FitbitWebhook.sign(Redacted.make("s"), "")).toBe(expectedSignature("", "s"))
      const unicode = JSON.stringify([{ ...notifications[0], note: "Zoë ✓" }])
      expect(yield* FitbitWebhook.sign(CLIENT_SECRET, new TextEncoder().encode(unicode))).toBe(expectedSignature(unicode))
    }))

  it.effect("verifySignature accepts the right one and rejects others", () =>
    Effect.gen(function*() {
      const good = expectedSignature(body)
      expect(yield* FitbitWebhook.verifySignature(CLIENT_SECRET, body, good)).toBe(true)
      expect(yield* FitbitWebhook.verifySignature(CLIENT_SECRET, body, expectedSignature(body, "other-secret"))).toBe(false)
      expect(yield* FitbitWebhook.verifySignature(CLIENT_SECRET, body + " ", good)).toBe(false)
      // Without the "&" the key is different.
      expect(yield* FitbitWebhook.verifySignature(CLIENT_SECRET, body, createHmac("sha1", CLIENT_SECRET).update(body).digest("base64"))).toBe(false)
      expect(yield* FitbitWebhook.verifySignature(CLIENT_SECRET, body, good.slice(0, -1))).toBe(false)
      expect(yield* FitbitWebhook.verifySignature(CLIENT_SECRET, body, undefined)).toBe(false)
      expect(yield* FitbitWebhook.verifySignature(CLIENT_SECRET, body, "")).toBe(false)
    }))

  it("constantTimeEqual", () => {
    expect(constantTimeEqual("abc", "abc")).toBe(true)
    expect(constantTimeEqual("abc", "abd")).toBe(false)
    expect(constantTimeEqual("abc", "ab")).toBe(false)
    expect(constantTimeEqual("", "a")).toBe(false)
    expect(constantTimeEqual("", "")).toBe(true)
  })
})

describe("notifications", () => {
  it("decode a Fitbit notification array, keeping unknown fields", () => {
    const decoded = FitbitWebhook.decodeNotifications(JSON.stringify([...notifications, { collectionType: "userRevokedAccess", ownerId: "ABC123", ownerType: "user", subscriptionId: "s", extra: 1 }]))
    expect(Either.getOrThrow(decoded)).toEqual([...notifications, { collectionType: "userRevokedAccess", ownerId: "ABC123", ownerType: "user", subscriptionId: "s", extra: 1 }])
  })

  it("reject bodies that are not notification arrays", () => {
    for (const bad of ["", "{}", "not json", JSON.stringify([{ collectionType: "sleep" }]), JSON.stringify({ ...notifications[0] })]) {
      expect(Either.isLeft(FitbitWebhook.decodeNotifications(bad))).toBe(true)
    }
  })
})

describe("framework-free handler", () => {
  const make = () => {
    const received: Array<ReadonlyArray<FitbitWebhook.Notification>> = []
    const handler = FitbitWebhook.makeHandler(config, (ns) => {
      received.push(ns)
    })
    return { handler, received }
  }

  it("verification: 204 for the right code, 404 otherwise", async () => {
    const { handler, received } = make()
    expect(await handler("GET", `/webhooks/fitbit?verify=${VERIFICATION_CODE}`, {})).toEqual({ status: 204 })
    expect(await handler("GET", `https://app.example/webhooks/fitbit?verify=${VERIFICATION_CODE}`, {})).toEqual({ status: 204 })
    expect(await handler("GET", "/webhooks/fitbit?verify=wrong", {})).toEqual({ status: 404 })
    expect(await handler("GET", `/webhooks/fitbit?verify=${VERIFICATION_CODE}x`, {})).toEqual({ status: 404 })
    expect(await handler("GET", "/webhooks/fitbit", {})).toEqual({ status: 404 })
    expect(await handler("GET", "/webhooks/fitbit?verify=", {})).toEqual({ status: 404 })
    expect(received).toEqual([])
  })

  it("a signed notification calls back with the decoded array and answers 204", async () => {
    const { handler, received } = make()
    const response = await handler("POST", "/webhooks/fitbit", { "x-fitbit-signature": expectedSignature(body), "content-type": "application/json" }, body)
    expect(response).toEqual({ status: 204 })
    expect(received).toEqual([notifications])
  })

  it("headers may be a fetch Headers and the body raw bytes; the header name is case-insensitive", async () => {
    const { handler, received } = make()
    const bytes = new TextEncoder().encode(body)
    expect(await handler("POST", "/hook", new Headers({ "X-Fitbit-Signature": expectedSignature(bytes) }), bytes)).toEqual({ status: 204 })
    expect(await handler("post", "/hook", { "X-Fitbit-Signature": expectedSignature(body) }, body)).toEqual({ status: 204 })
    expect(received).toHaveLength(2)
  })

  it("a missing or wrong signature answers 404 and never calls back", async () => {
    const { handler, received } = make()
    expect(await handler("POST", "/hook", {}, body)).toEqual({ status: 404 })
    expect(await handler("POST", "/hook", { "x-fitbit-signature": expectedSignature(body, "not-the-secret") }, body)).toEqual({ status: 404 })
    expect(await handler("POST", "/hook", { "x-fitbit-signature": expectedSignature(body) }, body.replace("ABC123", "XYZ789"))).toEqual({ status: 404 })
    expect(received).toEqual([])
  })

  it("a signed body that is not a notification array answers 400", async () => {
    const { handler, received } = make()
    const bad = JSON.stringify({ hello: "world" })
    const response = await handler("POST", "/hook", { "x-fitbit-signature": expectedSignature(bad) }, bad)
    expect(response.status).toBe(400)
    expect(received).toEqual([])
  })

  it("a failing callback answers 500; other methods 405", async () => {
    const handler = FitbitWebhook.makeHandler(config, async () => {
      throw new Error("queue down")
    })
    const response = await handler("POST", "/hook", { "x-fitbit-signature": expectedSignature(body) }, body)
    expect(response.status).toBe(500)
    expect(response.body).not.toContain("queue down")
    expect((await handler("PUT", "/hook", {}, body)).status).toBe(405)
  })

  it.effect("the Effect handler passes the notifications to an Effect callback", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const run = FitbitWebhook.handle(config, (ns) => Effect.sync(() => seen.push(...ns.map((n) => n.collectionType))))
      const response = yield* run({ method: "POST", url: "/hook", headers: { "x-fitbit-signature": expectedSignature(body) }, rawBody: body })
      expect(response.status).toBe(204)
      expect(seen).toEqual(["activities", "sleep"])
    }))
})

describe("config", () => {
  it.effect("reads the secret and the verification code as Redacted", () =>
    Effect.gen(function*() {
      const read = yield* FitbitWebhook.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([
          ["FITBIT_CLIENT_SECRET", CLIENT_SECRET],
          ["FITBIT_SUBSCRIBER_VERIFICATION_CODE", VERIFICATION_CODE]
        ])))
      )
      expect(String(read.clientSecret)).not.toContain(CLIENT_SECRET)
      const response = yield* FitbitWebhook.handle(read, () => Effect.void)({ method: "GET", url: `/?verify=${VERIFICATION_CODE}`, headers: {} })
      expect(response.status).toBe(204)
    }))
})

describe("HttpApp", () => {
  const make = () => {
    const received: Array<FitbitWebhook.Notification> = []
    const app = FitbitWebhook.httpApp(config, (ns) => Effect.sync(() => received.push(...ns)))
    return { handler: HttpApp.toWebHandler(app), received }
  }

  it("answers the verification handshake", async () => {
    const { handler } = make()
    expect((await handler(new Request(`http://127.0.0.1/webhook?verify=${VERIFICATION_CODE}`))).status).toBe(204)
    expect((await handler(new Request("http://127.0.0.1/webhook?verify=nope"))).status).toBe(404)
  })

  it("accepts a signed notification and rejects an unsigned one", async () => {
    const { handler, received } = make()
    const signed = await handler(new Request("http://127.0.0.1/webhook", { method: "POST", body, headers: { "X-Fitbit-Signature": expectedSignature(body), "Content-Type": "application/json" } }))
    expect(signed.status).toBe(204)
    expect(received).toEqual(notifications)
    const unsigned = await handler(new Request("http://127.0.0.1/webhook", { method: "POST", body, headers: { "Content-Type": "application/json" } }))
    expect(unsigned.status).toBe(404)
    expect(received).toHaveLength(2)
  })

  it("a signed non-array body answers 400", async () => {
    const { handler } = make()
    const bad = "[1,2"
    const response = await handler(new Request("http://127.0.0.1/webhook", { method: "POST", body: bad, headers: { "X-Fitbit-Signature": expectedSignature(bad) } }))
    expect(response.status).toBe(400)
  })
})
