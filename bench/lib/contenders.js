// The contenders: each one fetches the Fitbit profile (or, for the Google backend, the Google
// Health v4 profile) from the loopback server the way a user of that library would, and checks
// what it got. Every import happens inside `setup`, so a worker process loads only the library
// it measures and its peak RSS is attributable to that library.
//
// `setup(baseUrl)` answers `{ call, close }`: `call()` is one complete request (send, read the
// whole body, parse, check); it throws on a wrong answer.
import { createRequire } from "node:module"
import { ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, FITBIT_USER_ID, GOOGLE_PROFILE_NAME, googleapisHealth } from "./fixtures.js"

const expectFitbitProfile = (body) => {
  if (body?.user?.encodedId !== FITBIT_USER_ID) throw new Error(`unexpected body: ${JSON.stringify(body)?.slice(0, 200)}`)
}
const expectGoogleProfile = (body) => {
  if (body?.name !== GOOGLE_PROFILE_NAME) throw new Error(`unexpected body: ${JSON.stringify(body)?.slice(0, 200)}`)
}

/** The raw-socket limit: undici's `request` on its global dispatcher, body read, JSON-parsed and checked. */
const rawUndici = (backend, path, check) => ({
  label: "raw undici request",
  backend,
  async setup(baseUrl) {
    const { request } = await import("undici")
    const url = `${baseUrl}${path}`
    const headers = { authorization: `Bearer ${ACCESS_TOKEN}`, accept: "application/json" }
    return {
      call: async () => {
        const res = await request(url, { method: "GET", headers })
        const body = await res.body.json()
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`)
        check(body)
      },
      close: async () => {}
    }
  }
})

/** The limit on the Fitbit profile path. */
const undiciRaw = rawUndici("fitbit", "/1/user/-/profile.json", expectFitbitProfile)

/** The same limit on the Google Health v4 path (a smaller body): the reference for the Google rows. */
const undiciRawGoogle = rawUndici("google", `/v4/${GOOGLE_PROFILE_NAME}`, expectGoogleProfile)

/** Node's built-in `fetch`, body read and JSON-parsed. */
const fetchRaw = {
  label: "raw fetch",
  backend: "fitbit",
  async setup(baseUrl) {
    const url = `${baseUrl}/1/user/-/profile.json`
    const headers = { authorization: `Bearer ${ACCESS_TOKEN}`, accept: "application/json" }
    return {
      call: async () => {
        const res = await fetch(url, { headers })
        const body = await res.json()
        if (res.status !== 200) throw new Error(`status ${res.status}`)
        expectFitbitProfile(body)
      },
      close: async () => {}
    }
  }
}

/** The profile schema our Effect-client contender decodes with (the fields an app reads). */
const profileSchema = async () => {
  const Schema = await import("effect/Schema")
  return Schema.Struct({
    user: Schema.Struct({
      encodedId: Schema.String,
      displayName: Schema.String,
      fullName: Schema.optional(Schema.String),
      age: Schema.Number,
      gender: Schema.String,
      height: Schema.Number,
      weight: Schema.Number,
      timezone: Schema.String,
      offsetFromUTCMillis: Schema.Number,
      memberSince: Schema.String,
      locale: Schema.String,
      avatar: Schema.String
    })
  })
}

/** The `HttpClient` layer of an Effect contender: ours (the default) or `@effect/platform-node`'s. */
const httpClientLayer = async (transport) => {
  if (transport === "platform") return (await import("@effect/platform-node/NodeHttpClient")).layerUndici
  const { UndiciHttpClient } = await import("@fitbit-effect/node")
  return UndiciHttpClient.layer({}, { timeout: "30 seconds" })
}

/**
 * Our Effect client: `FitbitHttp.get` with a schema on one `ManagedRuntime` built once
 * (FitbitHttp over FitbitConfig over an `HttpClient` layer). Every call validates its input,
 * parses the rate-limit headers and decodes the body with the schema.
 */
const effectClient = (transport, label) => ({
  label,
  backend: "fitbit",
  async setup(baseUrl) {
    const { FitbitConfig, FitbitHttp } = await import("@fitbit-effect/core")
    const Layer = await import("effect/Layer")
    const ManagedRuntime = await import("effect/ManagedRuntime")
    const Option = await import("effect/Option")
    const schema = await profileSchema()
    const layer = FitbitHttp.layer.pipe(
      Layer.provide(FitbitConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl })),
      Layer.provide(await httpClientLayer(transport))
    )
    const runtime = ManagedRuntime.make(layer)
    await runtime.runPromise(FitbitHttp.FitbitHttp) // build the layer before timing starts
    const program = FitbitHttp.get("/profile.json", ACCESS_TOKEN, { schema })
    return {
      call: async () => {
        const response = await runtime.runPromise(program)
        expectFitbitProfile(response.body)
        if (Option.isNone(response.rateLimit)) throw new Error("no rate-limit state")
      },
      close: () => runtime.dispose()
    }
  }
})

/**
 * Our Promise facade: `new FitbitApiClient(...)` once, `client.get("/profile.json", token)` per call,
 * loaded as fitbit-node users load it (`require("@fitbit-effect/node/fitbit-node")`, the README's
 * drop-in line: one self-contained file), or (`root`) from the package's root entry, which loads
 * every module of both providers.
 */
const facadeFrom = (entry, label, optional) => ({
  label,
  backend: "fitbit",
  ...(optional ? { optional: true } : {}),
  async available() {
    return typeof (await load(entry)) === "function"
  },
  async setup(baseUrl) {
    const FitbitApiClient = await load(entry)
    const client = new FitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiVersion: "1", baseUrl })
    return {
      call: async () => {
        const [body, response] = await client.get("/profile.json", ACCESS_TOKEN)
        const status = response?.statusCode ?? response?.status
        if (status !== 200) throw new Error(`status ${status}`)
        expectFitbitProfile(body)
      },
      close: async () => {
        if (typeof client.close === "function") await client.close()
        else if (typeof client.dispose === "function") await client.dispose()
      }
    }
  }
})

/** The facade's class from an entry: the drop-in (`require`, the class itself) or the root (`import`). */
const load = async (entry) =>
  entry === "dropin" ? createRequire(import.meta.url)("@fitbit-effect/node/fitbit-node") : (await import("@fitbit-effect/node")).FitbitApiClient

/**
 * fitbit-node 2.2.0 (on `request`), unmodified; only its URL builder is pointed at the loopback
 * server by a subclass overriding `getUrl` (the original hard-codes https://api.fitbit.com).
 */
const fitbitNode = {
  label: "fitbit-node 2.2.0",
  backend: "fitbit",
  async setup(baseUrl) {
    const { default: FitbitApiClient } = await import("fitbit-node")
    class LoopbackFitbitApiClient extends FitbitApiClient {
      getUrl(path, userId) {
        return super.getUrl(path, userId).replace("https://api.fitbit.com", baseUrl)
      }
    }
    const client = new LoopbackFitbitApiClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, apiVersion: "1" })
    return {
      call: async () => {
        const [body, response] = await client.get("/profile.json", ACCESS_TOKEN)
        if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`)
        expectFitbitProfile(body)
      },
      close: async () => {}
    }
  }
}

/** Google's generated client: `google.health({version: "v4", rootUrl})`, `users.getProfile`. */
const googleapis = {
  label: "googleapis 188 (health v4)",
  backend: "google",
  async setup(baseUrl) {
    const health = await googleapisHealth(baseUrl)
    return {
      call: async () => {
        const res = await health.users.getProfile({ name: GOOGLE_PROFILE_NAME })
        if (res.status !== 200) throw new Error(`status ${res.status}`)
        expectGoogleProfile(res.data)
      },
      close: async () => {}
    }
  }
}

/**
 * Our Google Health backend as Effect: `GoogleUsers.getProfile` (path checks, Google error
 * decoding, `Profile` schema decode) on one `ManagedRuntime` over an `HttpClient` layer.
 */
const googleEffect = (transport, label) => ({
  label,
  backend: "google",
  async setup(baseUrl) {
    const { GoogleHealthConfig, GoogleHealthHttp, GoogleUsers } = await import("@fitbit-effect/core")
    const Layer = await import("effect/Layer")
    const ManagedRuntime = await import("effect/ManagedRuntime")
    const layer = GoogleHealthHttp.layer.pipe(
      Layer.provide(GoogleHealthConfig.layer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl })),
      Layer.provide(await httpClientLayer(transport))
    )
    const runtime = ManagedRuntime.make(layer)
    await runtime.runPromise(GoogleHealthHttp.GoogleHealthHttp)
    const program = GoogleUsers.getProfile(ACCESS_TOKEN)
    return {
      call: async () => expectGoogleProfile(await runtime.runPromise(program)),
      close: () => runtime.dispose()
    }
  }
})

/** Our Google Health Promise client (`GoogleHealthClient` in @fitbit-effect/node), when built. */
const googleFacade = {
  label: "fitbit-effect Google (Promise)",
  backend: "google",
  optional: true,
  async available() {
    const node = await import("@fitbit-effect/node")
    return typeof node.GoogleHealthClient === "function"
  },
  async setup(baseUrl) {
    const { GoogleHealthClient } = await import("@fitbit-effect/node")
    const client = new GoogleHealthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, baseUrl })
    const getProfile = client.users?.getProfile?.bind(client.users) ?? client.getProfile?.bind(client)
    if (getProfile === undefined) throw new Error("GoogleHealthClient has no getProfile")
    return {
      call: async () => {
        const result = await getProfile(ACCESS_TOKEN)
        expectGoogleProfile(result?.body ?? result?.data ?? result)
      },
      close: async () => {
        if (typeof client.close === "function") await client.close()
        else if (typeof client.dispose === "function") await client.dispose()
      }
    }
  }
}

/** Every contender by key, in table order. */
export const contenders = {
  "raw-undici": undiciRaw,
  "raw-fetch": fetchRaw,
  "effect": effectClient("lean", "fitbit-effect (Effect, lean undici)"),
  "effect-platform": effectClient("platform", "fitbit-effect (Effect, platform-node undici)"),
  "facade": facadeFrom("dropin", "fitbit-effect (Promise facade, fitbit-node entry)", false),
  "facade-root": facadeFrom("root", "fitbit-effect (Promise facade, root entry)", true),
  "fitbit-node": fitbitNode,
  "raw-undici-google": undiciRawGoogle,
  "google-effect": googleEffect("lean", "fitbit-effect Google (Effect, lean undici)"),
  "google-effect-platform": googleEffect("platform", "fitbit-effect Google (Effect, platform-node undici)"),
  "google-facade": googleFacade,
  "googleapis": googleapis
}

/** The reference of each backend's ratios: raw undici on the same path and body. */
export const REFERENCE = { fitbit: "raw-undici", google: "raw-undici-google" }
