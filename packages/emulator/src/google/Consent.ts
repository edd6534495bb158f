/**
 * The emulated Google consent screen, for people in a browser and for tests that click through
 * (consent mode `page`): the app, the scopes it asks for, a user to sign in as, and the buttons
 * `#allow` and `#deny`, which post the decision to {@link DECISION_PATH}.
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { State } from "../EmulatorState.js"
import type * as Registry from "../Registry.js"
import * as Scopes from "./Scopes.js"

/**
 * Where the consent page posts its form (the authorize parameters, `decision` and `emulator_user`).
 *
 * @since 0.1.0
 * @category constants
 */
export const DECISION_PATH = "/o/oauth2/v2/auth/decision"

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/** What a scope lets the app do, in a few words. */
const describe = (scope: string): string => {
  if (!scope.startsWith(Scopes.SCOPE_PREFIX)) return scope === "openid" ? "Associate you with your personal info on Google" : `See your ${scope}`
  const name = scope.slice(Scopes.SCOPE_PREFIX.length)
  const [family, access] = name.split(".")
  const what = (family ?? name).replace(/_/g, " ")
  return access === "readonly" ? `See your ${what} data` : access === "writeonly" ? `Add and change your ${what} data` : `See, add and change your ${what} data`
}

/**
 * The HTML consent page of an authorization request (`q`: its query parameters, carried in the form).
 *
 * @since 0.1.0
 * @category responses
 */
export const consentPage = (
  state: State,
  app: Registry.App,
  scopes: ReadonlyArray<string>,
  q: Record<string, string>
): HttpServerResponse.HttpServerResponse => {
  const name = escapeHtml(app.name ?? app.clientId)
  const hidden = Object.entries(q)
    .filter(([key]) => key !== "decision" && key !== "emulator_user")
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join("\n      ")
  const users = [...state.registry.users.values()]
    .map((u) =>
      `<option value="${escapeHtml(u.userId)}"${u.userId === state.consentUserId ? " selected" : ""}>${escapeHtml(u.fullName)} (${
        escapeHtml(u.userId)
      })</option>`
    )
    .join("")
  const list = scopes.map((s) => `<li>${escapeHtml(describe(s))}<br><code>${escapeHtml(s)}</code></li>`).join("")
  return HttpServerResponse.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in with Google (emulator): ${name}</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 2rem auto">
  <h1>Google Health emulator</h1>
  <p><strong>${name}</strong> wants to access your Google Account:</p>
  <ul>${list}</ul>
  <form method="post" action="${DECISION_PATH}">
      ${hidden}
      <label>Sign in as <select name="emulator_user">${users}</select></label>
      <p><button type="submit" id="deny" name="decision" value="deny">Cancel</button>
      <button type="submit" id="allow" name="decision" value="allow">Allow</button></p>
  </form>
</body></html>`)
}
