// The contenders of the large-page and stream benchmark: each reads a `dataPoints.list` page the
// way a user of that library would, with every point made usable (parsed JSON for raw undici and
// googleapis, decoded and typed points for ours). `setup(baseUrl)` answers:
// - `page(dataType, size)`: one page read whole; answers how many points it holds;
// - `stream()`: every point of the 20-page stream, one at a time; answers how many;
// - `collect(size)`: the points of one heart-rate page, kept (for bytes per point).
import { ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, googleapisHealth } from "./fixtures.js"

/** The reference: undici's `request`, body parsed with `JSON.parse`. */
const raw = {
  label: "raw undici + JSON.parse",
  async setup(baseUrl) {
    const { request } = await import("undici")
    const headers = { authorization: `Bearer ${ACCESS_TOKEN}`, accept: "application/json" }
    const get = async (user, dataType, query) => {
      const res = await request(`${baseUrl}/v4/users/${user}/dataTypes/${dataType}/dataPoints?${query}`, { headers })
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`)
      return JSON.parse(await res.body.text())
    }
    return {
      page: async (dataType, size) => (await get("me", dataType, `pageSize=${size}`)).dataPoints.length,
      stream: async () => {
        let n = 0
        let token
        do {
          const body = await get("stream", "heart-rate", `pageSize=10000${token === undefined ? "" : `&pageToken=${token}`}`)
          for (const _ of body.dataPoints) n++
          token = body.nextPageToken
        } while (token !== undefined)
        return n
      },
      collect: async (size) => (await get("me", "heart-rate", `pageSize=${size}`)).dataPoints,
      close: async () => {}
    }
  }
}

/** Google's generated client: `health.users.dataTypes.dataPoints.list`. */
const googleapis = {
  label: "googleapis 188",
  async setup(baseUrl) {
    const health = await googleapisHealth(baseUrl)
    const list = (user, dataType, pageSize, pageToken) =>
      health.users.dataTypes.dataPoints.list({ parent: `users/${user}/dataTypes/${dataType}`, pageSize, ...(pageToken === undefined ? {} : { pageToken }) })
    return {
      page: async (dataType, size) => (await list("me", dataType, size)).data.dataPoints.length,
      stream: async () => {
        let n = 0
        let token
        do {
          const res = await list("stream", "heart-rate", 10000, token)
          for (const _ of res.data.dataPoints) n++
          token = res.data.nextPageToken ?? undefined
        } while (token !== undefined)
        return n
      },
      collect: async (size) => (await list("me", "heart-rate", size)).data.dataPoints,
      close: async () => {}
    }
  }
}

/** Ours: `GoogleDataPoints.list` and `stream` (Effect), over the lean undici client, quota counting off. */
const ours = {
  label: "fitbit-effect DataPoints (Effect)",
  async setup(baseUrl) {
    const { GoogleDataPoints, GoogleHealthConfig, GoogleHealthHttp } = await import("@fitbit-effect/core")
    const { UndiciHttpClient } = await import("@fitbit-effect/node")
    const Layer = await import("effect/Layer")
    const ManagedRuntime = await import("effect/ManagedRuntime")
    const Stream = await import("effect/Stream")
    const layer = GoogleHealthHttp.layer.pipe(
      Layer.provide(GoogleHealthConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl, quota: false })),
      // The client bounds each exchange with the configuration's timeout (30 s by default), as NodeGoogleHealth builds it.
      Layer.provide(UndiciHttpClient.layer({}, { timeout: "30 seconds" }))
    )
    const runtime = ManagedRuntime.make(layer)
    await runtime.runPromise(GoogleHealthHttp.GoogleHealthHttp)
    return {
      page: async (dataType, size) => (await runtime.runPromise(GoogleDataPoints.list(ACCESS_TOKEN, dataType, { pageSize: size }))).dataPoints.length,
      stream: () =>
        runtime.runPromise(Stream.runFold(GoogleDataPoints.stream(ACCESS_TOKEN, "heart-rate", { user: "stream", pageSize: 10000 }), 0, (n) => n + 1)),
      collect: async (size) => (await runtime.runPromise(GoogleDataPoints.list(ACCESS_TOKEN, "heart-rate", { pageSize: size }))).dataPoints,
      close: () => runtime.dispose()
    }
  }
}

/** Every page contender by key; `raw` is the reference. */
export const pageContenders = { raw, googleapis, ours }
