// Issue 30: Google Health notifications from the emulator, seen from a plain node:http endpoint (no
// client library): the body is a JSON array of at most 99 {data} items in the shape Google sends,
// with the Authorization value the subscriber registered; writes (create, patch, batchDelete) and
// days passing on the clock trigger them for the subscribers whose config and policy (AUTOMATIC, or a
// MANUAL subscription) cover the type, while the user has consented; the API request never waits for
// them; the control routes send them on demand and flush; the outbox is bounded. Also Google's
// consent page.
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { Google, startEmulator } from "../src/index.js"
import { FORM, form } from "./helpers.js"

const SECRET = "Bearer emulator-test-secret"

interface Received {
  readonly path: string
  readonly authorization: string | undefined
  readonly contentType: string | undefined
  readonly body: any
}

/** An endpoint: answers verifications as Google expects; notifications 204, except under `/held/` (held until `release`). */
const endpoint = async () => {
  const received: Array<Received> = []
  const held: Array<Http.ServerResponse> = []
  const heldWaiters: Array<() => void> = []
  const server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"))
      const authorized = req.headers.authorization === SECRET
      if (body?.type === "verification") return void res.writeHead(authorized ? 201 : 401).end()
      received.push({ path: req.url ?? "", authorization: req.headers.authorization, contentType: req.headers["content-type"], body })
      if (!authorized) return void res.writeHead(401).end()
      if (req.url?.startsWith("/held/")) {
        held.push(res)
        for (const wake of heldWaiters.splice(0)) wake()
      } else res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    received,
    held,
    /** Resolves once a POST is held unanswered. */
    someHeld: () => held.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => heldWaiters.push(resolve)),
    release: () => {
      for (const res of held.splice(0)) res.writeHead(204).end()
    },
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

let emu: Awaited<ReturnType<typeof startEmulator>>
let hook: Awaited<ReturnType<typeof endpoint>>
let accessToken: string
let healthUserId: string

beforeAll(async () => {
  emu = await startEmulator({ clock: { start: "2026-11-25T12:00:00Z", frozen: true } })
  hook = await endpoint()
  accessToken = Google.grantTokens(emu.state).accessToken
  healthUserId = Google.healthUserIdOf(emu.defaultUser.userId)
})
afterAll(async () => {
  await emu.close()
  await hook.close()
})

const v4 = async (method: string, path: string, body?: unknown, token = accessToken) => {
  const response = await fetch(`${emu.baseUrl}/v4/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, body: await response.json() as any }
}

const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${emu.baseUrl}/__emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: response.status, body: await response.json() as any }
}

let subscribers = 0
/** Registers a subscriber at a path of the endpoint (verified for real); answers its name. */
const subscribe = async (path: string, configs: ReadonlyArray<{ dataTypes: Array<string>; subscriptionCreatePolicy: string }>) => {
  const id = `sub-${++subscribers}-${path.replace(/[^a-z0-9]/g, "")}`.slice(0, 30)
  const created = await v4("POST", `projects/emu-test/subscribers?subscriberId=${id}`, {
    endpointUri: `${hook.base}${path}`,
    endpointAuthorization: { secret: SECRET },
    subscriberConfigs: configs
  })
  expect(created.status).toBe(200)
  return `projects/emu-test/subscribers/${id}`
}

/** The notification items received at a path, POST by POST. */
const postsTo = (path: string) => hook.received.filter((r) => r.path === path).map((r) => r.body as Array<{ data: any }>)

const weight = (id: string, at: string, grams = 71500) => ({
  name: `users/me/dataTypes/weight/dataPoints/${id}`,
  weight: { weightGrams: grams, sampleTime: { physicalTime: at, utcOffset: "0s" } }
})

// Tests move the clock past access tokens' hour: each starts with a fresh one.
beforeEach(() => {
  accessToken = Google.grantTokens(emu.state).accessToken
})
afterEach(async () => {
  await emu.flushGoogleNotifications()
  // Each test's subscribers are removed, so that the next starts with none.
  const listed = await v4("GET", "projects/emu-test/subscribers")
  for (const s of listed.body.subscribers ?? []) expect((await v4("DELETE", `${s.name}?force=true`)).status).toBe(200)
})

describe("deliveries", () => {
  it("a create is one POST of a JSON array of one item in Google's shape, with the subscriber's Authorization", async () => {
    await subscribe("/shape", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
    expect((await v4("POST", "users/me/dataTypes/weight/dataPoints", weight("shape-1", "2026-11-25T07:30:00Z"))).status).toBe(200)
    await emu.flushGoogleNotifications()
    const [post] = hook.received.filter((r) => r.path === "/shape")
    expect(post).toMatchObject({ authorization: SECRET, contentType: "application/json" })
    expect(post!.body).toEqual([{
      data: {
        version: "v4",
        healthUserId,
        operation: "UPSERT",
        dataType: "weight",
        intervals: [{
          physicalTimeInterval: { startTime: "2026-11-25T07:30:00Z", endTime: "2026-11-25T07:30:01Z" },
          civilDateTimeInterval: {
            start: { date: { year: 2026, month: 11, day: 25 }, time: { hours: 7, minutes: 30, seconds: 0 } },
            end: { date: { year: 2026, month: 11, day: 25 }, time: { hours: 7, minutes: 30, seconds: 1 } }
          },
          civilIso8601TimeInterval: "2026-11-25T07:30:00/2026-11-25T07:30:01"
        }]
      }
    }])
    const log = await control("GET", "/notifications")
    expect(log.body.google.pending).toBe(0)
    expect(log.body.google.deliveries.at(-1)).toMatchObject({ endpointUri: `${hook.base}/shape`, status: 204, items: post!.body })
    expect(JSON.stringify(log.body)).not.toContain(SECRET)
  })

  it("patch is an UPSERT over the new and the old time; batchDelete a DELETE per point, more than 99 in several POSTs", async () => {
    await subscribe("/batch", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const name = `users/${healthUserId}/dataTypes/weight/dataPoints/patch-me`
    await v4("POST", "users/me/dataTypes/weight/dataPoints", weight("patch-me", "2026-11-24T07:00:00Z"))
    expect((await v4("PATCH", name, weight("patch-me", "2026-11-24T09:00:00Z", 70000))).status).toBe(200)
    for (let i = 0; i < 150; i++) {
      await v4("POST", "users/me/dataTypes/weight/dataPoints", weight(`many-${i}`, new Date(Date.parse("2026-11-10T00:00:00Z") + i * 3_600_000).toISOString()))
    }
    await emu.flushGoogleNotifications()
    const before = postsTo("/batch").length
    const names = Array.from({ length: 150 }, (_, i) => `users/me/dataTypes/weight/dataPoints/many-${i}`)
    expect((await v4("POST", "users/me/dataTypes/-/dataPoints:batchDelete", { names: [...names, name] })).status).toBe(200)
    await emu.flushGoogleNotifications()
    const posts = postsTo("/batch")
    // the patch's POST, by content: POSTs of different writes may arrive in either order
    const patched = posts.slice(0, before).find((p) => p[0]!.data.intervals.length === 2)
    expect(patched).toEqual([{ data: expect.objectContaining({ operation: "UPSERT", dataType: "weight" }) }])
    expect(patched![0]!.data.intervals.map((i: any) => i.physicalTimeInterval.startTime)).toEqual(["2026-11-24T09:00:00Z", "2026-11-24T07:00:00Z"])
    const deletes = posts.slice(before)
    expect(deletes.map((p) => p.length)).toEqual([99, 52])
    expect(deletes.flat().every((item) => item.data.operation === "DELETE" && item.data.dataType === "weight" && item.data.healthUserId === healthUserId)).toBe(true)
  })

  it("reaches only subscribers with a config for the type and a policy or subscription for the user, while the user consents", async () => {
    await subscribe("/other-type", [{ dataTypes: ["sleep"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const manual = await subscribe("/manual", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "MANUAL" }])
    const otherManual = await subscribe("/manual-other-user", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "MANUAL" }])
    const other = emu.addUser({ userId: "NOTIF2" })
    expect((await v4("POST", `${manual}/subscriptions?subscriptionId=my-weights`, { user: `users/${healthUserId}`, dataTypes: ["weight"] })).status).toBe(200)
    expect((await v4("POST", `${otherManual}/subscriptions`, { user: `users/${Google.healthUserIdOf(other.userId)}`, dataTypes: ["weight"] })).status).toBe(200)
    await v4("POST", "users/me/dataTypes/weight/dataPoints", weight("reach-1", "2026-11-23T07:00:00Z"))
    await emu.flushGoogleNotifications()
    expect(postsTo("/other-type")).toEqual([])
    expect(postsTo("/manual-other-user")).toEqual([])
    expect(postsTo("/manual")).toEqual([[{ data: expect.objectContaining({ clientProvidedSubscriptionName: "my-weights", healthUserId, operation: "UPSERT" }) }]])

    // A grant without the type's family: no consent, no notification (Google sends only with consent).
    const sleepOnly = Google.grantTokens(emu.state, { userId: other.userId, scopes: ["https://www.googleapis.com/auth/googlehealth.sleep.readonly"] })
    await subscribe("/automatic", [{ dataTypes: ["steps"], subscriptionCreatePolicy: "AUTOMATIC" }])
    emu.advance(24 * 3_600_000)
    await emu.flushGoogleNotifications()
    const days = postsTo("/automatic").flat()
    expect(days.map((item) => item.data.healthUserId)).toEqual([healthUserId])
    expect(sleepOnly.userId).toBe(other.userId)
  })

  it("each day the clock passes is an UPSERT of the generated types over the user's civil day; a clock going back is none", async () => {
    await subscribe("/days", [{ dataTypes: ["steps", "weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const now = emu.now()
    emu.setNow(now + 2 * 24 * 3_600_000)
    emu.setNow(now)
    await emu.flushGoogleNotifications()
    const items = postsTo("/days").flat().map((item) => item.data)
    const day = (d: string, n: string) => ({ startTime: `${d}T00:00:00Z`, endTime: `${n}T00:00:00Z` })
    const today = new Date(now).toISOString().slice(0, 10)
    const plus = (n: number) => new Date(Date.parse(today) + n * 86_400_000).toISOString().slice(0, 10)
    const seen = (list: Array<[string, string, unknown]>) => list.map((entry) => JSON.stringify(entry)).sort()
    expect(seen(items.map((d) => [d.operation, d.dataType, d.intervals[0].physicalTimeInterval]))).toEqual(seen([
      ["UPSERT", "steps", day(plus(1), plus(2))],
      ["UPSERT", "steps", day(plus(2), plus(3))],
      ["UPSERT", "weight", day(plus(1), plus(2))],
      ["UPSERT", "weight", day(plus(2), plus(3))]
    ]))
    expect(items[0].intervals[0].civilIso8601TimeInterval).toMatch(/^\d{4}-\d\d-\d\dT00:00:00\/\d{4}-\d\d-\d\dT00:00:00$/)
  })

  it("a clock jump of years names only the newest 90 days; a jump past what a Date holds names none and the clock still moves", async () => {
    await subscribe("/jump", [{ dataTypes: ["steps"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const now = emu.now()
    emu.setNow(now + 50 * 365 * 86_400_000) // 50 years: no list of 18,000 days is built
    await emu.flushGoogleNotifications()
    const days = postsTo("/jump").flat().filter((item) => item.data.dataType === "steps")
    expect(days.length).toBe(90)
    emu.setNow(8.64e15) // the last instant a Date holds
    expect(emu.now()).toBe(8.64e15)
    await emu.flushGoogleNotifications()
    expect(postsTo("/jump").flat().length).toBe(90)
    emu.setNow(now)
  })

  it("the API request does not wait for its notifications; flush does, and the log shows them pending meanwhile", async () => {
    await subscribe("/held/one", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const created = await v4("POST", "users/me/dataTypes/weight/dataPoints", weight("held-1", "2026-11-22T07:00:00Z"))
    expect(created.status).toBe(200)
    const during = await control("GET", "/notifications")
    expect(during.body.google.pending).toBe(1)
    const flushing = control("POST", "/notifications/flush")
    // the endpoint got the POST and has not answered it yet
    await hook.someHeld()
    hook.release()
    const after = await flushing
    expect(after.status).toBe(200)
    expect(after.body.google.pending).toBe(0)
    expect(after.body.google.deliveries.at(-1)).toMatchObject({ endpointUri: `${hook.base}/held/one`, status: 204 })
  })

  it("a POST left unanswered ends at its deadline and is logged with an error", async () => {
    Google.configure(emu.state, { notificationTimeoutMillis: 200 })
    try {
      await subscribe("/held/never", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
      await v4("POST", "users/me/dataTypes/weight/dataPoints", weight("never-1", "2026-11-21T07:00:00Z"))
      const deliveries = await emu.flushGoogleNotifications()
      expect(deliveries.at(-1)).toMatchObject({ endpointUri: `${hook.base}/held/never`, error: expect.stringMatching(/no answer/) })
      expect(deliveries.at(-1)!.status).toBeUndefined()
    } finally {
      Google.configure(emu.state, { notificationTimeoutMillis: 5000 })
      hook.release()
    }
  })
})

describe("notifications on demand", () => {
  it("POST /__emulator/google-notifications sends one now, defaults filled and any field as given", async () => {
    const name = await subscribe("/demand", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const sent = await control("POST", "/google-notifications", {
      dataType: "exercise",
      operation: "UPDATE",
      intervals: [{ startTime: "2026-11-25T06:00:00Z", endTime: "2026-11-25T07:00:00Z" }],
      somethingNew: { kept: true }
    })
    expect(sent.status).toBe(200)
    expect(sent.body.deliveries).toHaveLength(1)
    expect(sent.body.deliveries[0]).toMatchObject({ subscriber: name, status: 204 })
    expect(postsTo("/demand")).toEqual([[{
      data: {
        version: "v4",
        healthUserId,
        operation: "UPDATE",
        dataType: "exercise",
        intervals: [{
          physicalTimeInterval: { startTime: "2026-11-25T06:00:00Z", endTime: "2026-11-25T07:00:00Z" },
          civilDateTimeInterval: {
            start: { date: { year: 2026, month: 11, day: 25 }, time: { hours: 6, minutes: 0, seconds: 0 } },
            end: { date: { year: 2026, month: 11, day: 25 }, time: { hours: 7, minutes: 0, seconds: 0 } }
          },
          civilIso8601TimeInterval: "2026-11-25T06:00:00/2026-11-25T07:00:00"
        }],
        somethingNew: { kept: true }
      }
    }]])
    // Without fields: an UPSERT of steps over the default user's current day (UTC here)
    const defaults = await emu.notifyGoogle({})
    const today = new Date(emu.now()).toISOString().slice(0, 10)
    const tomorrow = new Date(Date.parse(today) + 86_400_000).toISOString().slice(0, 10)
    expect(defaults[0]!.items[0]!.data).toMatchObject({
      operation: "UPSERT",
      dataType: "steps",
      intervals: [{ physicalTimeInterval: { startTime: `${today}T00:00:00Z`, endTime: `${tomorrow}T00:00:00Z` } }]
    })
  })

  it("many at once are posted 99 to a POST; a subscriber can be named; mistakes answer 400", async () => {
    await subscribe("/many-a", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const b = await subscribe("/many-b", [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }])
    const notifications = Array.from({ length: 200 }, (_, i) => ({ dataType: "steps", operation: i % 2 === 0 ? "UPSERT" : "DELETE" }))
    const sent = await control("POST", "/google-notifications", { notifications, subscriber: b })
    expect(sent.body.deliveries.map((d: { items: Array<unknown> }) => d.items.length)).toEqual([99, 99, 2])
    expect(postsTo("/many-a")).toEqual([])
    expect(postsTo("/many-b").map((p) => p.length)).toEqual([99, 99, 2])
    expect((await control("POST", "/google-notifications", { subscriber: "projects/emu-test/subscribers/nope" })).status).toBe(400)
    expect((await control("POST", "/google-notifications", { userId: "NO-SUCH-USER" })).status).toBe(400)
    expect((await control("POST", "/google-notifications", { intervals: [{ startTime: "yesterday", endTime: "today" }] })).status).toBe(400)
  })

  it("with no Google subscriber there is nothing to send to: 400 saying how to make one", async () => {
    const answer = await control("POST", "/google-notifications", { dataType: "steps" })
    expect(answer.status).toBe(400)
    expect(answer.body.error).toMatch(/subscribers/)
  })
})

describe("the outbox's bounds", () => {
  it("POSTs beyond the pending bound are logged as dropped at once; close aborts those in flight", async () => {
    const outbox = Google.Deliveries.make({ maxPending: 2, concurrency: 1, timeoutMillis: 30_000 })
    const target = { subscriber: "projects/p/subscribers/s", endpointUri: `${hook.base}/held/bounded`, authorization: SECRET }
    const items = Array.from({ length: 250 }, () => ({ data: { version: "v4", healthUserId, operation: "UPSERT", dataType: "steps", intervals: [] } }))
    const sending = outbox.dispatch(target, items)
    expect(outbox.pending()).toBe(2)
    expect(outbox.deliveries()).toEqual([expect.objectContaining({ error: expect.stringMatching(/dropped/), items: items.slice(198) })])
    await hook.someHeld()
    outbox.close()
    const outcomes = await sending
    expect(outcomes.map((d) => [d.items.length, d.error])).toEqual([
      [99, "the emulator stopped"],
      [99, "the emulator stopped"],
      [52, expect.stringMatching(/dropped/)]
    ])
    expect(outbox.pending()).toBe(0)
    hook.release()
  })
})

describe("Google's consent page", () => {
  it("in page mode, authorize answers a page whose #allow and #deny redirect with a code or access_denied", async () => {
    emu.setConsent("page")
    try {
      const url = new URL(`${emu.baseUrl}/o/oauth2/v2/auth`)
      const params = {
        response_type: "code",
        client_id: emu.defaultApp.clientId,
        redirect_uri: emu.defaultApp.redirectUri,
        scope: "https://www.googleapis.com/auth/googlehealth.sleep.readonly",
        access_type: "offline",
        state: "st-1"
      }
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
      const page = await fetch(url, { redirect: "manual" })
      expect(page.status).toBe(200)
      expect(page.headers.get("content-type")).toContain("text/html")
      const html = await page.text()
      expect(html).toMatch(/<button[^>]* id="allow"/)
      expect(html).toMatch(/<button[^>]* id="deny"/)
      expect(html).toContain(`action="/o/oauth2/v2/auth/decision"`)
      const hidden = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
        .map((m) => [m[1]!, m[2]!.replace(/&amp;/g, "&")] as [string, string])
      const decide = (decision: string) =>
        fetch(`${emu.baseUrl}/o/oauth2/v2/auth/decision`, {
          method: "POST",
          headers: FORM,
          body: form({ ...Object.fromEntries(hidden), decision }),
          redirect: "manual"
        })
      const allowed = new URL((await decide("allow")).headers.get("location")!).searchParams
      expect(allowed.get("state")).toBe("st-1")
      expect(allowed.get("scope")).toBe(params.scope)
      const exchanged = await fetch(`${emu.baseUrl}/token`, {
        method: "POST",
        headers: FORM,
        body: form({
          grant_type: "authorization_code",
          code: allowed.get("code")!,
          redirect_uri: params.redirect_uri,
          client_id: emu.defaultApp.clientId,
          client_secret: emu.defaultApp.clientSecret
        })
      })
      expect(exchanged.status).toBe(200)
      expect(await exchanged.json()).toMatchObject({ refresh_token: expect.any(String), scope: params.scope })
      const denied = new URL((await decide("deny")).headers.get("location")!).searchParams
      expect([denied.get("error"), denied.get("state"), denied.get("code")]).toEqual(["access_denied", "st-1", null])
    } finally {
      emu.setConsent("auto")
    }
  })
})
