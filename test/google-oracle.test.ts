// Google's own generated client (googleapis 188, `health` v4 and v4beta) as the oracle of our wire format.
// 1. Every method googleapis' v4.js and v4beta.js define has a case here (the lists are read from the files).
// 2. googleapis drives the emulator through every method: each call succeeds and what it
//    receives has only the fields, nesting and kinds v4.d.ts declares.
// 3. The same logical call goes through googleapis and through our core program to a recording
//    server, on each channel: same HTTP method, path, query parameter names and values, and JSON
//    body field names.
// 4. googleapis v4beta reads the v4beta-only data type from the emulator in v4beta's shapes.
import { describe, expect, it, layer } from "@effect/vitest"
import { GoogleAuth, GoogleDataPoints, GoogleHealthConfig, GoogleHealthHttp, GooglePairedDevices, GoogleSharedLinks, GoogleSubscribers, GoogleUsers, RetryPolicy } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { google, type health_v4 } from "googleapis"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Spec from "./fixtures/v4spec.js"
import { webhookServer } from "./fixtures/googleWebhook.js"


type Health = health_v4.Health
type Services = GoogleHealthHttp.GoogleHealthHttp

/** The ids a case needs: real ones from the emulator, or fixed ones for the recording server. */
interface Ids {
  readonly token: string
  readonly project: string
  readonly exercise: string
  readonly weight: string
  readonly device: string
  readonly subscriber: string
  readonly subscription: string
  readonly user: string
  readonly endpoint: string
  readonly shl: string
  readonly shlToken: string
}

/** One v4 method: the call through googleapis, the same call through core, and what it answers. */
interface Case {
  readonly google: (health: Health, ids: Ids) => Promise<{ status: number; data: unknown; headers: unknown }>
  readonly ours: (ids: Ids) => Effect.Effect<unknown, unknown, Services>
  /** The v4 schema of the answer; `HttpBody` for raw answers. */
  readonly answers: string
}

const SECRET = "Bearer oracle-webhook-secret-1234"
const FILTER = GoogleDataPoints.filters.intervalCivil("steps", "2026-11-18", "2026-11-25")
const WEIGHT = { weight: { weightGrams: 70100, sampleTime: { physicalTime: "2026-11-24T07:00:00Z", utcOffset: "0s" } } }
const CONFIGS = [{ dataTypes: ["steps", "sleep"], subscriptionCreatePolicy: "MANUAL" }]

const CASES: Record<string, Case> = {
  "users.getIdentity": {
    google: (h) => h.users.getIdentity({ name: "users/me/identity" }),
    ours: (i) => GoogleUsers.getIdentity(i.token),
    answers: "Identity"
  },
  "users.getProfile": {
    google: (h) => h.users.getProfile({ name: "users/me/profile" }),
    ours: (i) => GoogleUsers.getProfile(i.token),
    answers: "Profile"
  },
  "users.getSettings": {
    google: (h) => h.users.getSettings({ name: "users/me/settings" }),
    ours: (i) => GoogleUsers.getSettings(i.token),
    answers: "Settings"
  },
  "users.getIrnProfile": {
    google: (h) => h.users.getIrnProfile({ name: "users/me/irnProfile" }),
    ours: (i) => GoogleUsers.getIrnProfile(i.token),
    answers: "IrnProfile"
  },
  "users.updateProfile": {
    google: (h) =>
      h.users.updateProfile({
        name: "users/me/profile",
        updateMask: "user_configured_walking_stride_length_mm",
        requestBody: { userConfiguredWalkingStrideLengthMm: 712 }
      }),
    ours: (i) => GoogleUsers.updateProfile(i.token, { userConfiguredWalkingStrideLengthMm: 712 }),
    answers: "Profile"
  },
  "users.updateSettings": {
    google: (h) =>
      h.users.updateSettings({ name: "users/me/settings", updateMask: "distance_unit", requestBody: { distanceUnit: "MILES" } }),
    ours: (i) => GoogleUsers.updateSettings(i.token, { distanceUnit: "MILES" }),
    answers: "Settings"
  },
  "users.dataTypes.dataPoints.list": {
    google: (h) => h.users.dataTypes.dataPoints.list({ parent: "users/me/dataTypes/steps", filter: FILTER, pageSize: 50 }),
    ours: (i) => GoogleDataPoints.list(i.token, "steps", { filter: FILTER, pageSize: 50 }),
    answers: "ListDataPointsResponse"
  },
  "users.dataTypes.dataPoints.get": {
    google: (h, i) => h.users.dataTypes.dataPoints.get({ name: i.exercise }),
    ours: (i) => GoogleDataPoints.get(i.token, i.exercise),
    answers: "DataPoint"
  },
  "users.dataTypes.dataPoints.create": {
    google: (h) => h.users.dataTypes.dataPoints.create({ parent: "users/me/dataTypes/weight", requestBody: WEIGHT }),
    ours: (i) => GoogleDataPoints.create(i.token, "weight", WEIGHT.weight),
    answers: "Operation"
  },
  "users.dataTypes.dataPoints.patch": {
    google: (h, i) => h.users.dataTypes.dataPoints.patch({ name: i.weight, requestBody: { ...WEIGHT, name: i.weight } }),
    ours: (i) => GoogleDataPoints.patch(i.token, i.weight, WEIGHT.weight),
    answers: "Operation"
  },
  "users.dataTypes.dataPoints.reconcile": {
    google: (h) =>
      h.users.dataTypes.dataPoints.reconcile({
        parent: "users/me/dataTypes/steps",
        filter: FILTER,
        pageSize: 20,
        dataSourceFamily: "users/me/dataSourceFamilies/google-wearables"
      }),
    ours: (i) =>
      GoogleDataPoints.reconcile(i.token, "steps", { filter: FILTER, pageSize: 20, dataSourceFamily: "users/me/dataSourceFamilies/google-wearables" }),
    answers: "ReconcileDataPointsResponse"
  },
  "users.dataTypes.dataPoints.rollUp": {
    google: (h) =>
      h.users.dataTypes.dataPoints.rollUp({
        parent: "users/me/dataTypes/steps",
        requestBody: { range: { startTime: "2026-11-18T00:00:00Z", endTime: "2026-11-25T00:00:00Z" }, windowSize: "86400s", pageSize: 10 }
      }),
    ours: (i) =>
      GoogleDataPoints.rollUp(i.token, "steps", {
        range: { startTime: "2026-11-18T00:00:00Z", endTime: "2026-11-25T00:00:00Z" },
        windowSeconds: 86_400,
        pageSize: 10
      }),
    answers: "RollUpDataPointsResponse"
  },
  "users.dataTypes.dataPoints.dailyRollUp": {
    google: (h) =>
      h.users.dataTypes.dataPoints.dailyRollUp({
        parent: "users/me/dataTypes/steps",
        requestBody: {
          range: { start: { date: { year: 2026, month: 11, day: 18 } }, end: { date: { year: 2026, month: 11, day: 25 } } },
          windowSizeDays: 7
        }
      }),
    ours: (i) => GoogleDataPoints.dailyRollUp(i.token, "steps", { range: { start: "2026-11-18", end: "2026-11-25" }, windowSizeDays: 7 }),
    answers: "DailyRollUpDataPointsResponse"
  },
  "users.dataTypes.dataPoints.exportExerciseTcx": {
    google: (h, i) => h.users.dataTypes.dataPoints.exportExerciseTcx({ name: i.exercise, partialData: true }),
    ours: (i) => GoogleDataPoints.exportExerciseTcx(i.token, i.exercise, { partialData: true }),
    answers: "ExportExerciseTcxResponse"
  },
  "users.dataTypes.dataPoints.batchDelete": {
    google: (h, i) => h.users.dataTypes.dataPoints.batchDelete({ parent: "users/me/dataTypes/weight", requestBody: { names: [i.weight] } }),
    ours: (i) => GoogleDataPoints.batchDelete(i.token, [i.weight], { dataType: "weight" }),
    answers: "Operation"
  },
  "users.pairedDevices.list": {
    google: (h) => h.users.pairedDevices.list({ parent: "users/me", pageSize: 5 }),
    ours: (i) => GooglePairedDevices.list(i.token, { pageSize: 5 }),
    answers: "ListPairedDevicesResponse"
  },
  "users.pairedDevices.get": {
    google: (h, i) => h.users.pairedDevices.get({ name: `users/me/pairedDevices/${i.device}` }),
    ours: (i) => GooglePairedDevices.get(i.token, i.device),
    answers: "PairedDevice"
  },
  "projects.subscribers.create": {
    google: (h, i) =>
      h.projects.subscribers.create({
        parent: `projects/${i.project}`,
        subscriberId: "oracle",
        requestBody: { endpointUri: i.endpoint, endpointAuthorization: { secret: SECRET }, subscriberConfigs: CONFIGS }
      }),
    ours: (i) => GoogleSubscribers.create(i.token, i.project, { endpointUri: i.endpoint, secret: SECRET, subscriberConfigs: CONFIGS }, { subscriberId: "oracle" }),
    answers: "Operation"
  },
  "projects.subscribers.list": {
    google: (h, i) => h.projects.subscribers.list({ parent: `projects/${i.project}`, pageSize: 10 }),
    ours: (i) => GoogleSubscribers.list(i.token, i.project, { pageSize: 10 }),
    answers: "ListSubscribersResponse"
  },
  "projects.subscribers.patch": {
    google: (h, i) =>
      h.projects.subscribers.patch({ name: i.subscriber, updateMask: "subscriber_configs", requestBody: { name: i.subscriber, subscriberConfigs: CONFIGS } }),
    ours: (i) => GoogleSubscribers.patch(i.token, i.subscriber, { subscriberConfigs: CONFIGS }),
    answers: "Operation"
  },
  "projects.subscribers.subscriptions.create": {
    google: (h, i) =>
      h.projects.subscribers.subscriptions.create({
        parent: i.subscriber,
        subscriptionId: "oracle-steps",
        requestBody: { user: i.user, dataTypes: ["steps"] }
      }),
    ours: (i) => GoogleSubscribers.createSubscription(i.token, i.subscriber, { user: i.user, dataTypes: ["steps"] }, { subscriptionId: "oracle-steps" }),
    answers: "Subscription"
  },
  "projects.subscribers.subscriptions.list": {
    google: (h, i) => h.projects.subscribers.subscriptions.list({ parent: i.subscriber, filter: `user = "${i.user}"`, pageSize: 10 }),
    ours: (i) => GoogleSubscribers.listSubscriptions(i.token, i.subscriber, { filter: `user = "${i.user}"`, pageSize: 10 }),
    answers: "ListSubscriptionsResponse"
  },
  "projects.subscribers.subscriptions.patch": {
    google: (h, i) =>
      h.projects.subscribers.subscriptions.patch({
        name: i.subscription,
        updateMask: "data_types",
        requestBody: { name: i.subscription, dataTypes: ["steps", "sleep"] }
      }),
    ours: (i) => GoogleSubscribers.patchSubscription(i.token, i.subscription, { dataTypes: ["steps", "sleep"] }),
    answers: "Subscription"
  },
  "projects.subscribers.subscriptions.delete": {
    google: (h, i) => h.projects.subscribers.subscriptions.delete({ name: i.subscription }),
    ours: (i) => GoogleSubscribers.deleteSubscription(i.token, i.subscription),
    answers: "Empty"
  },
  "projects.subscribers.delete": {
    google: (h, i) => h.projects.subscribers.delete({ name: i.subscriber, force: true }),
    ours: (i) => GoogleSubscribers.del(i.token, i.subscriber, { force: true }),
    answers: "Operation"
  },
  "shl.m.getShlManifest": {
    google: (h, i) => h.shl.m.getShlManifest({ externalShlId: i.shl, requestBody: { recipient: "Dr. Oracle", embeddedLengthMax: 10 } }),
    ours: (i) => GoogleSharedLinks.getManifest(i.shl, { recipient: "Dr. Oracle", embeddedLengthMax: 10 }),
    answers: "HttpBody"
  },
  "shl.r.get": {
    google: (h, i) => h.shl.r.get({ externalShlId: i.shl, resourceToken: i.shlToken }),
    ours: (i) => GoogleSharedLinks.getFile(i.shl, i.shlToken),
    answers: "HttpBody"
  }
}

/** Checks an answer against a v4 type: only declared fields, with their nesting and kinds. */
const conform = (value: unknown, type: string, where: string, problems: Array<string>, spec: Spec.ChannelSpec = Spec.channel("v4")): void => {
  if (value === null || value === undefined) return
  if (type === "any" || type.startsWith("{")) return
  const array = /^(?:Array<(.+)>|(.+)\[\])$/.exec(type)
  if (array !== null) {
    if (!Array.isArray(value)) return void problems.push(`${where}: expected an array`)
    value.slice(0, 50).forEach((item, n) => conform(item, (array[1] ?? array[2])!, `${where}[${n}]`, problems, spec))
    return
  }
  const ref = /^Schema\$(\w+)$/.exec(type)
  if (ref !== null) {
    if (typeof value !== "object" || Array.isArray(value)) return void problems.push(`${where}: expected an object (${ref[1]})`)
    const fields = new Map(spec.schemas.get(ref[1]!)!.map((f) => [f.name, f.type]))
    for (const [key, item] of Object.entries(value)) {
      const fieldType = fields.get(key)
      if (fieldType === undefined) problems.push(`${where}.${key}: not in ${spec.channel}'s ${ref[1]}`)
      else conform(item, fieldType, `${where}.${key}`, problems, spec)
    }
    return
  }
  if (typeof value !== type) problems.push(`${where}: v4 says ${type}, got ${typeof value} ${JSON.stringify(value).slice(0, 40)}`)
}

const ALL_SCOPES = [...GoogleAuth.SCOPES].map((s) => `${GoogleAuth.SCOPE_PREFIX}${s}`)

const healthOf = (baseUrl: string, token: string, version: Spec.Channel = "v4"): Health => {
  const auth = new google.auth.OAuth2("oracle-client", "oracle-secret")
  auth.setCredentials({ access_token: token, token_type: "Bearer" })
  // v4beta's client has v4's methods under the same names (a superset): one case list drives both.
  return (version === "v4"
    ? google.health({ version: "v4", rootUrl: `${baseUrl}/`, auth })
    : google.health({ version: "v4beta", rootUrl: `${baseUrl}/`, auth })) as Health
}

/** What a recording server saw of one request. */
interface Seen {
  readonly method: string
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly bodyFields: ReadonlyArray<string>
  readonly authorization: boolean
}

/** Every key path of a JSON value (`a`, `a.b`, `a[].c`). */
const keyPaths = (value: unknown, prefix = ""): Array<string> => {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))]
  if (typeof value !== "object" || value === null) return []
  return Object.entries(value).flatMap(([k, v]) => [`${prefix}${prefix === "" ? "" : "."}${k}`, ...keyPaths(v, `${prefix}${prefix === "" ? "" : "."}${k}`)])
}

/** A server on 127.0.0.1 that records each request and answers `{}` (a JWE-like text for SHL files). */
const recorder = Effect.acquireRelease(
  Effect.promise(() =>
    new Promise<{ url: string; seen: Array<Seen>; server: Http.Server }>((resolve) => {
      const seen: Array<Seen> = []
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          const url = new URL(req.url ?? "/", "http://recorder")
          const text = Buffer.concat(chunks).toString("utf8")
          let body: unknown
          try {
            body = text === "" ? undefined : JSON.parse(text)
          } catch {
            body = text
          }
          seen.push({
            method: req.method ?? "",
            path: decodeURIComponent(url.pathname),
            query: [...url.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b)),
            bodyFields: keyPaths(body).sort(),
            authorization: req.headers.authorization !== undefined
          })
          if (/^\/v4(beta)?\/shl\/r\//.test(url.pathname)) res.writeHead(200, { "content-type": "application/jose" }).end("e30..aXY.Y2lwaGVy.dGFn")
          else res.writeHead(200, { "content-type": "application/json" }).end("{}")
        })
      })
      server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }))
    })
  ),
  ({ server }) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
)

const oursAgainst = (baseUrl: string, channel: Spec.Channel = "v4") =>
  GoogleHealthHttp.layer.pipe(
    Layer.provideMerge(GoogleHealthConfig.layer({ clientId: "oracle-client", clientSecret: "oracle-secret", baseUrl, channel })),
    Layer.provideMerge(NodeHttpClient.layerUndici),
    Layer.provideMerge(RetryPolicy.layer({ maxRetries: 0 }))
  )

const FIXED: Ids = {
  token: "ya29.oracle-access-token",
  project: "oracle-project",
  exercise: "users/me/dataTypes/exercise/dataPoints/5551212",
  weight: "users/me/dataTypes/weight/dataPoints/w-1",
  device: "device-7",
  subscriber: "projects/oracle-project/subscribers/oracle",
  subscription: "projects/oracle-project/subscribers/oracle/subscriptions/oracle-steps",
  user: "users/abcdefghij",
  endpoint: "https://hooks.example.com/google-health",
  shl: "shl-abc123",
  shlToken: "rt-0123456789abcdef"
}

for (const channel of ["v4", "v4beta"] as const) {
  describe(`the oracle covers ${channel}`, () => {
    const spec = Spec.channel(channel)
    const ids = spec.methods.map((m) => m.id)
    it(`every method of googleapis' health ${channel} has a case, and no case names a method ${channel} lacks`, () => {
      expect(ids.length).toBeGreaterThanOrEqual(27)
      expect(ids.filter((id) => CASES[id] === undefined)).toEqual([])
      expect(Object.keys(CASES).filter((id) => !ids.includes(id))).toEqual([])
      for (const method of spec.methods) expect(method.url.startsWith(`/${channel}/`), method.id).toBe(true)
    })
  })
}

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("googleapis against the emulator", (it) => {
  const ctx: { ids?: Ids } = {}

  /** Real ids from the emulator, made once: an exercise, a created weight, a device, a shared link. */
  const idsOf = (emu: Emulator.EmulatorHandle, endpoint: string) =>
    Effect.gen(function*() {
      if (ctx.ids !== undefined) return { ...ctx.ids, endpoint }
      const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_SCOPES })
      const health = healthOf(emu.baseUrl, accessToken)
      const identity = yield* Effect.promise(() => health.users.getIdentity({ name: "users/me/identity" }))
      const exercises = yield* Effect.promise(() =>
        health.users.dataTypes.dataPoints.list({
          parent: "users/me/dataTypes/exercise",
          filter: GoogleDataPoints.filters.sessionCivil("exercise", "2026-11-01", "2026-11-25")
        }))
      const devices = yield* Effect.promise(() => health.users.pairedDevices.list({ parent: "users/me" }))
      const shared = emu.shareLink()
      const manifest = yield* Effect.promise(() =>
        health.shl.m.getShlManifest({ externalShlId: shared.externalShlId, requestBody: { recipient: "setup", embeddedLengthMax: 0 } }))
      const location = (manifest.data as { files: Array<{ location: string }> }).files[0]!.location
      ctx.ids = {
        token: accessToken,
        project: "fitbit-effect-oracle",
        exercise: exercises.data.dataPoints![0]!.name!,
        weight: `users/${identity.data.healthUserId}/dataTypes/weight/dataPoints/oracle-weight`,
        device: devices.data.pairedDevices![0]!.name!.split("/").pop()!,
        subscriber: "projects/fitbit-effect-oracle/subscribers/oracle",
        subscription: "projects/fitbit-effect-oracle/subscribers/oracle/subscriptions/oracle-steps",
        user: `users/${identity.data.healthUserId}`,
        endpoint,
        shl: shared.externalShlId,
        shlToken: location.split("/").pop()!
      }
      // The weight the patch and batchDelete cases work on.
      yield* Effect.promise(() =>
        health.users.dataTypes.dataPoints.create({ parent: "users/me/dataTypes/weight", requestBody: { ...WEIGHT, name: ctx.ids!.weight } }))
      return ctx.ids
    })

  // The emulator keeps state, so the cases run in an order where each finds what it needs.
  const ORDER = [
    "users.getIdentity", "users.getProfile", "users.getSettings", "users.getIrnProfile", "users.updateProfile", "users.updateSettings",
    "users.dataTypes.dataPoints.list", "users.dataTypes.dataPoints.get", "users.dataTypes.dataPoints.create",
    "users.dataTypes.dataPoints.patch", "users.dataTypes.dataPoints.reconcile", "users.dataTypes.dataPoints.rollUp",
    "users.dataTypes.dataPoints.dailyRollUp", "users.dataTypes.dataPoints.exportExerciseTcx", "users.dataTypes.dataPoints.batchDelete",
    "users.pairedDevices.list", "users.pairedDevices.get",
    "projects.subscribers.create", "projects.subscribers.list", "projects.subscribers.patch",
    "projects.subscribers.subscriptions.create", "projects.subscribers.subscriptions.list",
    "projects.subscribers.subscriptions.patch", "projects.subscribers.subscriptions.delete", "projects.subscribers.delete",
    "shl.m.getShlManifest", "shl.r.get"
  ]

  it("the order names every case once", () => {
    expect([...ORDER].sort()).toEqual(Object.keys(CASES).sort())
  })

  for (const id of ORDER) {
    it.scoped(`${id}: succeeds and receives v4's shapes`, () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const endpoint = yield* webhookServer(SECRET, [])
        const ids = yield* idsOf(emu, endpoint.url)
        const res = yield* Effect.promise(() => CASES[id]!.google(healthOf(emu.baseUrl, ids.token), ids))
        expect(res.status).toBeGreaterThanOrEqual(200)
        expect(res.status).toBeLessThan(300)
        const answers = CASES[id]!.answers
        if (answers === "HttpBody") {
          const headers = res.headers as { get?: (name: string) => string | null } & Record<string, unknown>
          expect(String(headers.get?.("content-type") ?? headers["content-type"])).toMatch(/^application\/(json|jose)/)
          expect(res.data === "" || res.data === undefined).toBe(false)
          return
        }
        if (answers === "Empty") return expect(res.data === "" || JSON.stringify(res.data) === "{}").toBe(true)
        const problems: Array<string> = []
        conform(res.data, `Schema$${answers}`, answers, problems)
        expect(problems).toEqual([])
      }))
  }
})

for (const channel of ["v4", "v4beta"] as const) {
  describe(`googleapis ${channel} and our client on the ${channel} channel send the same requests`, () => {
    for (const [id, c] of Object.entries(CASES)) {
      it.scoped(id, () =>
        Effect.gen(function*() {
          const rec = yield* recorder
          yield* Effect.promise(() => c.google(healthOf(rec.url, FIXED.token, channel), FIXED))
          yield* Effect.either(Effect.provide(c.ours(FIXED), oursAgainst(rec.url, channel)))
          expect(rec.seen, "both clients sent one request").toHaveLength(2)
          const [theirs, ours] = rec.seen as [Seen, Seen]
          expect(theirs.path.startsWith(`/${channel}/`)).toBe(true)
          expect(ours.method).toBe(theirs.method)
          expect(ours.path).toBe(theirs.path)
          expect(ours.query).toEqual(theirs.query)
          expect(ours.bodyFields).toEqual(theirs.bodyFields)
          // The SMART Health Links methods are authorised by the link: we send no token.
          if (id.startsWith("shl.")) expect(ours.authorization).toBe(false)
        }))
    }
  })
}

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("googleapis v4beta against the emulator", (it) => {
  it.effect("skin-temperature-sensors (v4beta only): listed through googleapis, in v4beta's shapes; v4 refuses it", () =>
    Effect.gen(function*() {
      const emu = yield* Emulator.EmulatorService
      const { accessToken } = Google.grantTokens(emu.state, { scopes: ALL_SCOPES })
      const params = {
        parent: "users/me/dataTypes/skin-temperature-sensors",
        filter: GoogleDataPoints.filters.sampleCivil("skin-temperature-sensors", "2026-11-20", "2026-11-22")
      }
      const res = yield* Effect.promise(() => healthOf(emu.baseUrl, accessToken, "v4beta").users.dataTypes.dataPoints.list(params))
      const points = (res.data as { dataPoints: Array<unknown> }).dataPoints
      expect(points.length).toBeGreaterThan(0)
      const problems: Array<string> = []
      conform(res.data, "Schema$ListDataPointsResponse", "ListDataPointsResponse", problems, Spec.channel("v4beta"))
      expect(problems).toEqual([])
      const onV4 = yield* Effect.promise(() => healthOf(emu.baseUrl, accessToken).users.dataTypes.dataPoints.list(params).then(() => 200, (e: { status?: number }) => e.status))
      expect(onV4).toBe(400)
    }))
})
