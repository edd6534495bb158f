// Issue 19, part 7: the Fitbit Promise clients follow `pagination.next` like the Google client's
// helpers do. Against the emulator's sleep list (3 logs a page): every night from 2026-11-02 to
// 2026-11-24 arrives once, in order, over the pages; maxPages stops early; a `next` naming another
// host is not followed (a local server plants one) and the token never reaches it.
import { startEmulator, type EmulatorHandle } from "@fitbit-effect/emulator"
import { FitbitApiClient, FitbitSessionClient } from "@fitbit-effect/node"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let emu: EmulatorHandle & { close(): Promise<void> }
beforeAll(async () => {
  emu = await startEmulator({ clock: { start: "2026-11-25T12:00:00Z" } })
  emu.setRateLimit(1_000_000)
  emu.setGoogleQuota({ perUserPerMinute: 1_000_000 })
})
afterAll(() => emu.close())

const nights = (from: string, to: string) => {
  const out: Array<string> = []
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}
const LIST = "/sleep/list.json?afterDate=2026-11-01&sort=asc&limit=3&offset=0"

describe("Fitbit Promise clients follow pagination.next", () => {
  it("FitbitApiClient.pages: every night once, in order; maxPages stops early", async () => {
    const client = new FitbitApiClient({ ...emu.defaultApp, baseUrl: emu.baseUrl })
    const token = emu.grantTokens().accessToken
    const seen: Array<string> = []
    let pages = 0
    for await (const [body, response] of client.pages(LIST, token)) {
      expect(response.statusCode).toBe(200)
      pages++
      seen.push(...body.sleep.map((s: { dateOfSleep: string }) => s.dateOfSleep))
    }
    expect(seen).toEqual(nights("2026-11-02", "2026-11-25"))
    expect(pages).toBe(Math.ceil(seen.length / 3))
    let limited = 0
    for await (const _ of client.pages(LIST, token, { maxPages: 2 })) limited++
    expect(limited).toBe(2)
    await client.close()
  })

  it("FitbitSessionClient.pages: the same nights by user key", async () => {
    const client = new FitbitSessionClient({ ...emu.defaultApp, baseUrl: emu.baseUrl })
    const t = emu.grantTokens()
    const key = await client.saveTokens({ access_token: t.accessToken, refresh_token: t.refreshToken, expires_in: t.expiresIn, user_id: t.userId })
    const seen: Array<string> = []
    for await (const page of client.pages(key, LIST, { apiVersion: "1.2" })) seen.push(...page.body.sleep.map((s: { dateOfSleep: string }) => s.dateOfSleep))
    expect(seen).toEqual(nights("2026-11-02", "2026-11-25"))
    await client.close()
  })

  it("a next URL on another host is not followed: DecodeError, and that host never sees the token", async () => {
    let elsewhere = 0
    const other = http.createServer((_req, res) => {
      elsewhere++
      res.end("{}")
    })
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve))
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ sleep: [], pagination: { next: `${otherUrl}/1.2/user/-/sleep/list.json?offset=3`, previous: "" } }))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const client = new FitbitApiClient({ clientId: "23BCDE", baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
    const pages: Array<unknown> = []
    const error = await (async () => {
      for await (const page of client.pages(LIST, "token-1")) pages.push(page)
    })().catch((e) => e)
    expect(pages).toHaveLength(1)
    expect(error).toMatchObject({ _tag: "DecodeError" })
    expect(error.message).toContain("not followed")
    expect(elsewhere).toBe(0)
    await client.close()
    server.close()
    other.close()
  })
})
