/**
 * The emulated Fitbit consent page, for people in a browser (`--consent page`): it posts the
 * user's decision to `/oauth2/authorize/decision`.
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { State } from "../EmulatorState.js"
import type { AuthorizeRequest } from "./OAuth.js"
import * as Scopes from "./Scopes.js"

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/**
 * The HTML consent page: the app, its scopes and what each covers, a user to sign in as, Allow and Deny.
 *
 * @since 0.1.0
 * @category pagination
 */
export const consentPage = (state: State, request: AuthorizeRequest, q: Record<string, string>): HttpServerResponse.HttpServerResponse => {
  const hidden = Object.entries(q)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n      ")
  const users = [...state.registry.users.values()]
    .map((u) =>
      `<option value="${escapeHtml(u.userId)}"${u.userId === state.consentUserId ? " selected" : ""}>${
        escapeHtml(u.fullName)
      } (${u.userId})</option>`
    )
    .join("")
  const scopes = request.scopes
    .map((s) => `<li><code>${escapeHtml(s)}</code>: ${escapeHtml(Scopes.SCOPE_DESCRIPTIONS[s] ?? s)}</li>`)
    .join("")
  return HttpServerResponse.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fitbit emulator: authorize ${escapeHtml(request.app.name ?? request.app.clientId)}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 2rem auto">
  <h1>Fitbit emulator</h1>
  <p><strong>${escapeHtml(request.app.name ?? request.app.clientId)}</strong> would like to access:</p>
  <ul>${scopes}</ul>
  <form method="post" action="/oauth2/authorize/decision">
      ${hidden}
      <label>Sign in as <select name="emulator_user">${users}</select></label>
      <p><button type="submit" id="allow" name="decision" value="allow">Allow</button>
      <button type="submit" id="deny" name="decision" value="deny">Deny</button></p>
  </form>
</body></html>`)
}
