// fitbit-node calls answered from Google Health: per call, the Google requests it costs, how many
// of them go one after another, and how many such calls one user can make a minute within
// Google's quota (300 requests). The emulator runs in this process with every Google answer
// held back 100 ms (its `delay` fault), so requests a call sends together are in flight together;
// its `roundTrips` counter is the longest chain of requests each sent after the previous one was
// answered. The facade is `FitbitApiClient` with `backend: "google-health"`. Each call runs twice
// with the same grant: the second skips the settings read cached per grant.
import { performance } from "node:perf_hooks"

const DELAY_MS = 100
const QUOTA_PER_MINUTE = 300

/** The calls of the table: [label, path, apiVersion?]. */
const calls = (today, addDays) => {
  const day = (back) => addDays(today, -back)
  return [
    ["profile", "/profile.json"],
    ["daily activity summary (today)", "/activities/date/today.json"],
    ["steps, 7 days", `/activities/steps/date/${day(1)}/7d.json`],
    ["steps, 1 year", `/activities/steps/date/${day(1)}/1y.json`],
    ["steps, 3-year range", `/activities/steps/date/${day(3 * 365)}/${day(1)}.json`],
    ["minutesSedentary, 1 year", `/activities/minutesSedentary/date/${day(1)}/1y.json`],
    ["intraday steps (15 min)", `/activities/steps/date/${day(1)}/1d/15min.json`],
    ["intraday heart (5 min)", `/activities/heart/date/${day(1)}/1d/5min.json`],
    ["heart zones, 30 days", `/activities/heart/date/${day(1)}/30d.json`],
    ["sleep, 100 days", `/sleep/date/${day(100)}/${day(1)}.json`],
    ["weight, 30 days", `/body/log/weight/date/${day(1)}/30d.json`],
    ["HRV, 30 days", `/hrv/date/${day(30)}/${day(1)}.json`, "1"]
  ]
}

const googleRequests = (counters) =>
  Object.entries(counters.requestsByPath).filter(([path]) => path.includes("/v4/")).reduce((n, [, c]) => n + c, 0)

/** Every call of the table, measured; `undefined` when the packages are not built. */
export const measureLegacy = async () => {
  let emulator, node
  try {
    emulator = await import("@fitbit-effect/emulator")
    node = await import("@fitbit-effect/node")
  } catch {
    return undefined
  }
  const emu = await emulator.startEmulator({ rateLimitPerHour: 1_000_000_000, googleQuota: { perUserPerMinute: 1_000_000_000 } })
  const options = { clientId: emu.defaultApp.clientId, clientSecret: emu.defaultApp.clientSecret, baseUrl: emu.baseUrl, backend: "google-health" }
  const clients = { "1.2": new node.FitbitApiClient(options), "1": new node.FitbitApiClient({ ...options, apiVersion: "1" }) }
  try {
    const core = await import("@fitbit-effect/core")
    const token = emulator.Google.grantTokens(emu.state, { scopes: core.GoogleAuth.SCOPES.map((s) => core.GoogleAuth.scope(s)) }).accessToken
    const today = new Date(emu.now() + emu.defaultUser.offsetFromUTCMillis).toISOString().slice(0, 10)
    emu.injectFault({ kind: "delay", delayMillis: DELAY_MS, count: 1_000_000, match: { pathPrefix: "/v4/" } })
    const once = async (path, apiVersion) => {
      emu.resetCounters()
      const start = performance.now()
      const [, response] = await clients[apiVersion ?? "1.2"].get(path, token)
      const elapsedMs = performance.now() - start
      if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode}`)
      const counters = emu.counters()
      return { requests: googleRequests(counters), sequential: counters.roundTrips, elapsedMs }
    }
    const rows = []
    for (const [label, path, apiVersion] of calls(today, emulator.DataGenerator.addDays)) {
      const first = await once(path, apiVersion)
      const again = await once(path, apiVersion)
      rows.push({ label, path, first, again, perMinute: Math.floor(QUOTA_PER_MINUTE / Math.max(1, first.requests)) })
    }
    return { delayMs: DELAY_MS, quotaPerMinute: QUOTA_PER_MINUTE, rows }
  } finally {
    emu.clearFaults()
    await clients["1.2"].close()
    await clients["1"].close()
    await emu.close()
  }
}
