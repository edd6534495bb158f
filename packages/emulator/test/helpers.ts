// Shared helpers of the emulator's conformance tests: raw fetch against a running emulator.
import { createHash, randomBytes } from "node:crypto"
import type { EmulatorHandle } from "../src/index.js"

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

export const FORM = { "content-type": "application/x-www-form-urlencoded" }

export const pkcePair = () => {
  const verifier = randomBytes(48).toString("base64url")
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") }
}

/** Runs authorize in auto-consent mode and answers with the redirect's query. */
export const authorize = async (emu: EmulatorHandle, params: Record<string, string>) => {
  const url = new URL(`${emu.baseUrl}/oauth2/authorize`)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  const response = await fetch(url, { redirect: "manual" })
  const location = response.headers.get("location")
  return { response, location, query: location === null ? undefined : new URL(location).searchParams }
}

/** Authorizes the default confidential app and answers with its code. */
export const codeFor = async (emu: EmulatorHandle, extra: Record<string, string> = {}) => {
  const { query } = await authorize(emu, {
    response_type: "code",
    client_id: emu.defaultApp.clientId,
    redirect_uri: emu.defaultApp.redirectUri,
    scope: "activity profile sleep",
    ...extra
  })
  const code = query?.get("code")
  if (code == null) throw new Error("no code")
  return code
}

export const token = (emu: EmulatorHandle, fields: Record<string, string>, auth: string | null = basic(emu.defaultApp.clientId, emu.defaultApp.clientSecret)) =>
  fetch(`${emu.baseUrl}/oauth2/token`, {
    method: "POST",
    headers: { ...FORM, ...(auth === null ? {} : { authorization: auth }) },
    body: form(fields)
  })

export const api = (emu: EmulatorHandle, path: string, accessToken: string | undefined, init: RequestInit = {}) =>
  fetch(`${emu.baseUrl}${path}`, {
    ...init,
    headers: { ...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }), ...(init.headers as Record<string, string> ?? {}) }
  })

/** Asserts Fitbit's error JSON and answers with its first entry. */
export const fitbitErrorOf = async (response: Response) => {
  const body = await response.json() as { errors: Array<{ errorType: string; fieldName?: string; message: string }>; success: boolean }
  if (body.success !== false || !Array.isArray(body.errors) || body.errors.length === 0) {
    throw new Error(`not Fitbit's error JSON: ${JSON.stringify(body)}`)
  }
  return body.errors[0]!
}
