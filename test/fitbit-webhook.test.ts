// Webhooks end to end over loopback: the emulator plays Fitbit (verifies the subscriber
// endpoint, delivers signed notifications after writes) and the core's FitbitWebhook.httpApp
// serves the subscriber.
import { describe, expect, layer } from "@effect/vitest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as HttpServer from "@effect/platform/HttpServer"
import { FitbitConfig, FitbitResources, FitbitWebhook, RetryPolicy } from "@fitbit-effect/core"
import { Emulator } from "@fitbit-effect/emulator"
import { NodeFitbit } from "@fitbit-effect/node"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Http from "node:http"

/** Serves the core's webhook app on 127.0.0.1 and answers with its URL and what it received. */
const subscriber = (clientSecret: string, verificationCode: string) =>
  Effect.gen(function*() {
    const received: Array<FitbitWebhook.Notification> = []
    const server = yield* NodeHttpServer.make(() => Http.createServer(), { host: "127.0.0.1", port: 0 })
    yield* server.serve(FitbitWebhook.httpApp({ clientSecret, verificationCode }, (notifications) =>
      Effect.sync(() => {
        received.push(...notifications)
      })))
    const address = server.address as HttpServer.TcpAddress
    return { url: `http://127.0.0.1:${address.port}/fitbit/webhook`, received }
  })

describe("webhooks", () => {
  layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })((it) => {
    it.scoped("the emulator verifies the core's subscriber endpoint and delivers signed notifications after writes", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const endpoint = yield* subscriber(emu.defaultApp.clientSecret, "verify-me")
        emu.setSubscriber({ url: endpoint.url, verificationCode: "verify-me" })
        const verification = yield* Effect.promise(() => emu.verifySubscriber())
        expect(verification).toEqual({ ok: true, correctCodeStatus: 204, wrongCodeStatus: 404 })

        const token = emu.grantTokens().accessToken
        const client = NodeFitbit.layerWith(Layer.merge(
          FitbitConfig.layer({ clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl }),
          RetryPolicy.layer({ maxRetries: 0 })
        ))
        yield* Effect.provide(
          Effect.gen(function*() {
            yield* FitbitResources.Subscriptions.create(token, { collection: "foods", subscriptionId: "water-watch" })
            yield* FitbitResources.Water.log(token, { amount: 200, date: "2026-11-25" })
            yield* FitbitResources.Sleep.log(token, { date: "2026-11-25", startTime: "14:00", duration: 600_000 })
          }),
          client
        )
        const deliveries = yield* Effect.promise(() => emu.flushNotifications())
        // the water log notified the foods subscription; the sleep log had no subscription
        expect(deliveries.map((d) => d.status)).toEqual([204])
        expect(endpoint.received).toEqual([{
          collectionType: "foods",
          date: "2026-11-25",
          ownerId: emu.defaultUser.userId,
          ownerType: "user",
          subscriptionId: "water-watch"
        }])
      }))

    it.scoped("a notification signed with another secret is refused with 404; a wrong verification code fails verification", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const endpoint = yield* subscriber(emu.defaultApp.clientSecret, "right-code")
        emu.setSubscriber({ url: endpoint.url, verificationCode: "other-code", subscriberId: "2" })
        const verification = yield* Effect.promise(() => emu.verifySubscriber({ subscriberId: "2" }))
        expect(verification.ok).toBe(false)
        expect(verification.correctCodeStatus).toBe(404)
        const forged = yield* Effect.promise(() =>
          emu.notify([{ collectionType: "sleep", date: "2026-11-25", ownerId: "ABC123", ownerType: "user", subscriptionId: "x" }], {
            subscriberId: "2",
            clientSecret: "not-the-secret"
          })
        )
        expect(forged.status).toBe(404)
        expect(endpoint.received).toEqual([])
      }))
  })
})
