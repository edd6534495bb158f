// Issue 30: the emulator's Google Health notifications, received by core's webhook handler in
// another OS process: the README's `google-webhook` example, taken from the README as it stands.
// The receiver is registered through the emulator's /v4 subscribers API (which verifies it for
// real), data points are created, patched and deleted through /v4 with a Google token from the
// control routes, and the receiver must print typed notifications: the right user, data types and
// operations, arrays of at most 99 items. Nothing waits on time: the emulator's flush answers once
// every POST has been answered, and the test then waits for the lines the receiver printed.
import { Google, startEmulator } from "@fitbit-effect/emulator"
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { extractExamples } from "../scripts/readme/examples.mjs"

interface Printed {
  readonly notifications: ReadonlyArray<{
    readonly healthUserId: string
    readonly operation: string
    readonly dataType: string
    readonly version?: string
    readonly intervals: ReadonlyArray<{ readonly physicalTimeInterval?: { readonly startTime?: string; readonly endTime?: string } }>
    readonly [field: string]: unknown
  }>
  readonly unreadable: ReadonlyArray<unknown>
}

const here = dirname(fileURLToPath(import.meta.url))
const AUTHORIZATION = `Bearer ${randomBytes(24).toString("base64url")}`

let emu: Awaited<ReturnType<typeof startEmulator>>
let receiver: ChildProcess
let endpoint: string
let readmeDir: string | undefined
let accessToken: string
const printed: Array<Printed> = []
let waiting: { count: number; resolve: () => void } | undefined

/** Resolves once the receiver has printed `count` deliveries in all. */
const printedCount = (count: number) =>
  new Promise<void>((resolve) => {
    if (printed.length >= count) resolve()
    else waiting = { count, resolve }
  })

const control = async (path: string, body: unknown = {}) => {
  const response = await fetch(`${emu.baseUrl}/__emulator${path}`, { method: "POST", body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() as any }
}

const v4 = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${emu.baseUrl}/v4/${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, body: await response.json() as any }
}

/** Flushes the emulator's deliveries and waits for the receiver's lines; answers the Google deliveries flushed. */
const flushed = async () => {
  const { body } = await control("/notifications/flush")
  const deliveries = body.google.deliveries as Array<{ status?: number; items: Array<unknown> }>
  await printedCount(deliveries.length)
  return deliveries
}

const weight = (id: string, grams: number, at: string) => ({
  name: `users/me/dataTypes/weight/dataPoints/${id}`,
  weight: { weightGrams: grams, sampleTime: { physicalTime: at, utcOffset: "0s" } }
})

beforeAll(async () => {
  emu = await startEmulator({ clock: { start: "2026-11-25T12:00:00Z", frozen: true } })
  // The README's block, written beside the tests so that it imports the workspace's packages.
  const example = extractExamples(readFileSync(join(here, "..", "README.md"), "utf8")).examples.find((e) => e.name === "google-webhook")
  if (example === undefined) throw new Error("README.md has no google-webhook example")
  readmeDir = mkdtempSync(join(here, ".readme-"))
  writeFileSync(join(readmeDir, "google-webhook.mjs"), example.code)
  receiver = spawn(process.execPath, [join(readmeDir, "google-webhook.mjs")], {
    cwd: here,
    env: { ...process.env, PORT: "0", GOOGLE_HEALTH_WEBHOOK_AUTHORIZATION: AUTHORIZATION },
    stdio: ["ignore", "pipe", "inherit"]
  })
  const lines = createInterface({ input: receiver.stdout! })
  endpoint = await new Promise<string>((resolve, reject) => {
    receiver.once("exit", (code) => reject(new Error(`the receiver exited with ${code}`)))
    lines.on("line", (line) => {
      const parsed = JSON.parse(line) as { listening?: string } & Printed
      if (parsed.listening !== undefined) return resolve(parsed.listening)
      printed.push(parsed)
      if (waiting !== undefined && printed.length >= waiting.count) {
        waiting.resolve()
        waiting = undefined
      }
    })
  })
  const minted = await control("/tokens", { provider: "google" })
  expect(minted.status).toBe(200)
  accessToken = minted.body.accessToken
})

afterAll(async () => {
  receiver?.kill()
  await emu?.close()
  if (readmeDir !== undefined) rmSync(readmeDir, { recursive: true, force: true })
})

describe("Google Health notifications, emulator to core's webhook handler in another process", () => {
  it("the receiver passes the emulator's verification and gets typed notifications of writes, in arrays of at most 99", async () => {
    const healthUserId = Google.healthUserIdOf(emu.defaultUser.userId)
    const created = await v4("POST", "projects/demo-project/subscribers?subscriberId=receiver", {
      endpointUri: endpoint,
      endpointAuthorization: { secret: AUTHORIZATION },
      subscriberConfigs: [{ dataTypes: ["weight"], subscriptionCreatePolicy: "AUTOMATIC" }]
    })
    expect(created.status).toBe(200) // the emulator's two verification POSTs were answered by core's handler

    // create, then patch to another time: UPSERTs, each in its own POST of one item
    // (flushed after each: POSTs of different writes may arrive in either order)
    expect((await v4("POST", "users/me/dataTypes/weight/dataPoints", weight("morning", 71500, "2026-11-25T07:30:00Z"))).status).toBe(200)
    await flushed()
    const name = `users/${healthUserId}/dataTypes/weight/dataPoints/morning`
    expect((await v4("PATCH", name, weight("morning", 71200, "2026-11-25T08:00:00Z"))).status).toBe(200)
    const first = await flushed()
    expect(first.map((d) => d.status)).toEqual([204, 204])
    expect(printed).toHaveLength(2)
    for (const delivery of printed) {
      expect(delivery.unreadable).toEqual([])
      expect(delivery.notifications).toHaveLength(1)
      expect(delivery.notifications[0]).toMatchObject({ healthUserId, operation: "UPSERT", dataType: "weight", version: "v4" })
    }
    expect(printed[0]!.notifications[0]!.intervals.map((i) => i.physicalTimeInterval?.startTime)).toEqual(["2026-11-25T07:30:00Z"])
    // The patch moved the point: its new time and the one it left
    expect(printed[1]!.notifications[0]!.intervals.map((i) => i.physicalTimeInterval?.startTime).sort()).toEqual([
      "2026-11-25T07:30:00Z",
      "2026-11-25T08:00:00Z"
    ])

    // 120 more points, then one batchDelete of all 121: 121 DELETEs, posted as 99 + 22
    for (let i = 0; i < 120; i++) {
      const at = new Date(Date.parse("2026-11-20T06:00:00Z") + i * 60_000).toISOString().replace(".000Z", "Z")
      expect((await v4("POST", "users/me/dataTypes/weight/dataPoints", weight(`bulk-${i}`, 70000 + i, at))).status).toBe(200)
    }
    const names = [name, ...Array.from({ length: 120 }, (_, i) => `users/${healthUserId}/dataTypes/weight/dataPoints/bulk-${i}`)]
    expect((await v4("POST", "users/me/dataTypes/-/dataPoints:batchDelete", { names })).status).toBe(200)
    const all = await flushed()
    expect(all.every((d) => d.status === 204)).toBe(true)
    expect(printed).toHaveLength(2 + 120 + 2)
    // the batchDelete's POSTs go one after another; the creates' may still arrive around them
    const deletes = printed.filter((d) => d.notifications.some((n) => n.operation === "DELETE"))
    expect(deletes.map((d) => d.notifications.length)).toEqual([99, 22])
    const deleted = deletes.flatMap((d) => d.notifications)
    expect(new Set(deleted.map((n) => `${n.healthUserId} ${n.operation} ${n.dataType}`))).toEqual(new Set([`${healthUserId} DELETE weight`]))
    expect(new Set(deleted.map((n) => n.intervals[0]!.physicalTimeInterval?.startTime)).size).toBe(121)
    expect(printed.every((d) => d.notifications.length <= 99)).toBe(true)
  })

  it("a notification sent on demand arrives as sent, an operation outside Google's docs included", async () => {
    const before = printed.length
    const sent = await control("/google-notifications", {
      dataType: "sleep",
      operation: "UPDATE",
      intervals: [{ startTime: "2026-11-24T22:00:00Z", endTime: "2026-11-25T06:30:00Z" }]
    })
    expect(sent.status).toBe(200)
    expect(sent.body.deliveries.map((d: { status?: number }) => d.status)).toEqual([204])
    await printedCount(before + 1)
    expect(printed[before]!.notifications).toEqual([
      expect.objectContaining({
        healthUserId: Google.healthUserIdOf(emu.defaultUser.userId),
        operation: "UPDATE",
        dataType: "sleep",
        intervals: [expect.objectContaining({ physicalTimeInterval: { startTime: "2026-11-24T22:00:00Z", endTime: "2026-11-25T06:30:00Z" } })]
      })
    ])
  })
})
