// SMART Health Links of the Google Health API v4 (`shl.m.getShlManifest`, `shl.r.get`) against the
// emulator over loopback: a link the user shares is read, its manifest fetched without an access
// token, its file fetched (embedded or by location) and decrypted to the FHIR Bundle the
// emulator encrypted; passcodes, attempts, expiry and the errors a recipient sees.
import { describe, expect, layer } from "@effect/vitest"
import { GoogleSharedLinks } from "@fitbit-effect/core"
import { DataGenerator, Emulator } from "@fitbit-effect/emulator"
import { GoogleHealthClient } from "@fitbit-effect/node"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { withGoogleClient } from "./fixtures/googleClient.js"


const withClient = withGoogleClient

/** The user's civil date a day before the emulated now. */
const yesterdayOf = (emu: Emulator.EmulatorHandle) =>
  new Date(emu.now() - 86_400_000 + emu.defaultUser.offsetFromUTCMillis).toISOString().slice(0, 10)

const stepsIn = (text: string) => {
  const bundle = JSON.parse(text) as { entry: Array<{ resource: { resourceType: string; valueQuantity?: { value: number } } }> }
  return bundle.entry.find((e) => e.resource.resourceType === "Observation")!.resource.valueQuantity!.value
}

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })("SMART Health Links", (it) => {
  describe("reading a link", () => {
    it.effect("open: manifest without a token, the file by location, decrypted to yesterday's steps", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const shared = emu.shareLink({ label: "For Dr. Who" })
        const payload = Either.getOrThrow(GoogleSharedLinks.parseLink(`https://viewer.example/#${shared.link}`))
        expect(payload.externalShlId).toBe(shared.externalShlId)
        expect(payload.label).toBe("For Dr. Who")
        expect(String(payload.key)).not.toContain(shared.key)
        const files = yield* GoogleSharedLinks.open(shared.link, { recipient: "Dr. Who" })
        expect(files).toHaveLength(1)
        expect(files[0]!.contentType).toBe("application/fhir+json")
        expect(stepsIn(files[0]!.text)).toBe(DataGenerator.steps(emu.seed, emu.defaultUser.userId, yesterdayOf(emu)))
      })))

    it.effect("embeddedLengthMax embeds the file when it fits, gives a location that answers application/jose when not", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const shared = emu.shareLink()
        const embedded = yield* GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "me", embeddedLengthMax: 1_000_000 })
        expect(embedded.status).toBe("finalized")
        expect(embedded.files[0]!.embedded).toMatch(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/)
        expect(embedded.files[0]!.location).toBeUndefined()
        const located = yield* GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "me", embeddedLengthMax: 10 })
        const location = located.files[0]!.location!
        expect(location.startsWith(`${emu.baseUrl}/v4/shl/r/${shared.externalShlId}/`)).toBe(true)
        const token = location.split("/").pop()!
        const body = yield* GoogleSharedLinks.getFile(shared.externalShlId, token)
        expect(body.contentType).toContain("application/jose")
        expect(body.data).toBe(embedded.files[0]!.embedded)
        const opened = yield* GoogleSharedLinks.decryptFile(body.data, shared.key)
        expect(stepsIn(opened.text)).toBe(DataGenerator.steps(emu.seed, emu.defaultUser.userId, yesterdayOf(emu)))
        // A location lives one hour on the emulator clock.
        emu.advance(3_600_000)
        const gone = yield* Effect.flip(GoogleSharedLinks.getFile(shared.externalShlId, token))
        expect(gone._tag).toBe("NotFound")
        expect(gone.message).not.toContain(token)
      })))
  })

  describe("passcodes and expiry", () => {
    it.effect("a missing passcode fails before sending; a wrong one is Google's 401; five wrong ones lock the link", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const shared = emu.shareLink({ passcode: "blue-heron-42" })
        const missing = yield* Effect.flip(GoogleSharedLinks.open(shared.link, { recipient: "clinic" }))
        expect(missing).toMatchObject({ _tag: "InvalidInput", field: "passcode" })
        const wrong = yield* Effect.flip(GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "clinic", passcode: "guess-1" }))
        expect(wrong._tag).toBe("InvalidToken")
        expect(wrong.message).toContain("4 attempts remaining")
        // The missing passcode spent no attempt; the right one still opens the link.
        const files = yield* GoogleSharedLinks.open(shared.link, { recipient: "clinic", passcode: "blue-heron-42" })
        expect(files).toHaveLength(1)
        for (let i = 0; i < 4; i++) {
          yield* Effect.flip(GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "clinic", passcode: `guess-${i}` }))
        }
        const locked = yield* Effect.flip(GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "clinic", passcode: "blue-heron-42" }))
        expect(locked._tag).toBe("NotFound")
        expect(locked.message).not.toContain("blue-heron-42")
      })))

    it.effect("an expired link is NotFound; a recipient is required", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const shared = emu.shareLink({ expiresInSeconds: 60 })
        expect(Either.getOrThrow(GoogleSharedLinks.parseLink(shared.link)).exp).toBe(Math.floor(emu.now() / 1000) + 60)
        const blank = yield* Effect.flip(GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: " " }))
        expect(blank).toMatchObject({ _tag: "InvalidInput", field: "recipient" })
        const bad = yield* Effect.flip(GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "x", embeddedLengthMax: -1 }))
        expect(bad).toMatchObject({ _tag: "InvalidInput", field: "embeddedLengthMax" })
        emu.advance(61_000)
        const expired = yield* Effect.flip(GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "x" }))
        expect(expired._tag).toBe("NotFound")
        const unknown = yield* Effect.flip(GoogleSharedLinks.getManifest("no-such-link", { recipient: "x" }))
        expect(unknown._tag).toBe("NotFound")
        const path = yield* Effect.flip(GoogleSharedLinks.getManifest("../users/me", { recipient: "x" }))
        expect(path).toMatchObject({ _tag: "InvalidInput", field: "externalShlId" })
      })))
  })

  describe("files and links offline", () => {
    it.effect("a wrong key, a tampered file and a malformed link are typed errors", () =>
      withClient(Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const shared = emu.shareLink()
        const manifest = yield* GoogleSharedLinks.getManifest(shared.externalShlId, { recipient: "me", embeddedLengthMax: 1_000_000 })
        const jwe = manifest.files[0]!.embedded!
        const otherKey = emu.shareLink().key
        const wrongKey = yield* Effect.flip(GoogleSharedLinks.decryptFile(jwe, otherKey))
        expect(wrongKey).toMatchObject({ _tag: "InvalidInput", field: "file" })
        expect(wrongKey.message).not.toContain(otherKey)
        const parts = jwe.split(".")
        parts[3] = parts[3]!.startsWith("A") ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`
        const tampered = yield* Effect.flip(GoogleSharedLinks.decryptFile(parts.join("."), shared.key))
        expect(tampered._tag).toBe("InvalidInput")
        const notJwe = yield* Effect.flip(GoogleSharedLinks.decryptFile("abc", shared.key))
        expect(notJwe.reason).toContain("compact")
        for (const link of ["https://example.com", "shlink:/!!!", "shlink:/" + btoa("{\"url\":1}")]) {
          expect(Either.isLeft(GoogleSharedLinks.parseLink(link))).toBe(true)
        }
        const badLocation = yield* Effect.flip(GoogleSharedLinks.fetchFile({ contentType: "x", location: "https://evil.example/steal" }))
        expect(badLocation).toMatchObject({ _tag: "InvalidInput", field: "location" })
      })))

    it.effect("the Promise client opens a link with the same answer", () =>
      Effect.gen(function*() {
        const emu = yield* Emulator.EmulatorService
        const shared = emu.shareLink({ passcode: "1234" })
        const facade = new GoogleHealthClient({ clientId: "unused", baseUrl: emu.baseUrl })
        const files = yield* Effect.promise(() => facade.openSharedLink(shared.link, { recipient: "me", passcode: "1234" }))
        expect(stepsIn(files[0]!.text)).toBe(DataGenerator.steps(emu.seed, emu.defaultUser.userId, yesterdayOf(emu)))
        const manifest = yield* Effect.promise(() => facade.getShlManifest(shared.externalShlId, { recipient: "me", passcode: "1234" }))
        const token = manifest.files[0]!.location!.split("/").pop()!
        const file = yield* Effect.promise(() => facade.getShlFile(shared.externalShlId, token))
        expect(file.data.split(".")).toHaveLength(5)
        yield* Effect.promise(() => facade.close())
      }))
  })
})
