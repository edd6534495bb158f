// Runs one README example against the emulator, completing what a fragment takes as given
// (context.d.mts): `app` is an Express-style router whose routes are driven as a user's browser
// would drive them (GET /login, follow the redirects through the emulator's consent, GET the
// callback with the code it lands on); `accessToken` is a token the emulator minted for the user.
// Promise clients the example constructs are pointed at the emulator through their documented
// `setDefaults`; Effect layers read it from the environment (FITBIT_BASE_URL, GOOGLE_HEALTH_BASE_URL).
//
//   node harness.mjs <compiled example> <context>
// Exits 0 when the example ran (and, for `app`, the callback answered 2xx); prints what it answered.
import { createRequire } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"

const [file, context = ""] = process.argv.slice(2)
const baseUrl = process.env.README_BASE_URL
if (baseUrl === undefined) throw new Error("README_BASE_URL (the emulator) is not set")

const require = createRequire(path.join(process.cwd(), "package.json"))
const optional = async (load) => {
  try {
    return await load()
  } catch (error) {
    if (error?.code === "MODULE_NOT_FOUND" || error?.code === "ERR_MODULE_NOT_FOUND") return undefined
    throw error
  }
}
// Both module formats: a .cjs example and an .mjs one load different copies of a dual package.
const dropIn = await optional(() => require("@fitbit-effect/node/fitbit-node"))
dropIn?.setDefaults({ baseUrl })
for (const entry of [await optional(() => require("@fitbit-effect/node")), await optional(() => import("@fitbit-effect/node"))]) {
  entry?.FitbitApiClient.setDefaults({ baseUrl })
  entry?.GoogleHealthClient.setDefaults({ baseUrl })
  entry?.FitbitSessionClient.setDefaults({ baseUrl })
}

/** Two emulator users' Google grants in the store, as the app's consent would have left them (context google-users). */
const storeGoogleGrants = async (store) => {
  const { Effect, Either } = await import("effect")
  const { OAuth, TokenStore } = await import("@fitbit-effect/core")
  const Sql = await import("@fitbit-effect/node/sql")
  const control = (route, body) =>
    fetch(`${baseUrl}/__emulator/${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json())
  for (const userId of ["SYNCUSR1", "SYNCUSR2"]) {
    await control("users", { userId })
    const minted = await control("tokens", { provider: "google", userId, clientId: process.env.GOOGLE_HEALTH_CLIENT_ID })
    const tokens = Either.getOrThrow(OAuth.tokenSetFromWire({ access_token: minted.accessToken, refresh_token: minted.refreshToken, expires_in: 3600 }, Date.now()))
    await Effect.runPromise(Effect.flatMap(TokenStore.TokenStore, (s) => s.set(`google:${userId}`, TokenStore.initialGrant(tokens, Date.now()))).pipe(Effect.provide(Sql.layer(store))))
  }
}
if (context === "google-users") {
  await storeGoogleGrants({ sqlite: "./var/app.db" })
  if (process.env.DATABASE_URL) await storeGoogleGrants({ postgres: process.env.DATABASE_URL })
}

const routes = new Map()
globalThis.app = { get: (route, handler) => void routes.set(route, handler) }
globalThis.accessToken = process.env.README_ACCESS_TOKEN

await import(pathToFileURL(path.resolve(file)).href)

/** Calls a route as the framework would; answers what the handler sent. */
const call = (route, query) =>
  new Promise((resolve, reject) => {
    const handler = routes.get(route)
    if (handler === undefined) return reject(new Error(`the example has no route ${route} (routes: ${[...routes.keys()].join(", ")})`))
    let status = 200
    const res = {
      redirect: (url) => resolve({ status: 302, location: url }),
      json: (body) => resolve({ status, body }),
      send: (body) => resolve({ status, body }),
      status: (code) => {
        status = code
        return res
      }
    }
    Promise.resolve()
      .then(() => handler({ query }, res))
      .then(() => reject(new Error(`${route}: the handler finished without answering`)), reject)
  })

if (context === "app") {
  const login = await call("/login", {})
  if (login.location === undefined) throw new Error(`/login answered ${login.status} instead of a redirect`)
  // The browser: follow redirects until one leaves the emulator (the app's callback URL).
  let url = new URL(login.location)
  for (let hops = 0; url.origin === new URL(baseUrl).origin; hops++) {
    if (hops === 5) throw new Error(`still on the emulator after 5 redirects: ${url.pathname}`)
    const answer = await fetch(url, { redirect: "manual" })
    const location = answer.headers.get("location")
    if (location === null) throw new Error(`${url.pathname} answered ${answer.status} without a redirect: ${(await answer.text()).slice(0, 300)}`)
    url = new URL(location, url)
  }
  const callback = await call(url.pathname, Object.fromEntries(url.searchParams))
  const shown = JSON.stringify(callback.body) ?? String(callback.body)
  if (callback.status >= 400) throw new Error(`${url.pathname} answered ${callback.status}: ${shown.slice(0, 500)}`)
  console.log(`${url.pathname} answered ${callback.status}: ${shown.slice(0, 300)}`)
}
process.exit(0) // the example's clients are an app's: they live as long as the process
