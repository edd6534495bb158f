/**
 * `fitbit-effect sync`: the logged-in profile's data into `$FITBIT_EFFECT_HOME/archive.db` with
 * `Sync` (one machine, SQLite, no schedule). The profile's grant is copied into the archive's token
 * table before the pass (Sync reads grants from the database it syncs into) and copied back to
 * `tokens.db` after it when Sync refreshed it. Progress from `sync.events`: a bar redrawn in place on
 * a terminal, one line per window otherwise. Ctrl-C stops after the current window's transaction
 * (committed or not); the next run goes on from the cursors.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { GoogleDataTypeRules, GoogleDataTypes, TokenStore } from "@fitbit-effect/core"
import { Sync, SyncEngine } from "@fitbit-effect/core/sync"
import * as Sql from "@fitbit-effect/node/sql"
import * as SyncNode from "@fitbit-effect/node/sync"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as NodePath from "node:path"
import { baseUrlOption, checkProfile, err, help, profileOption } from "../CommandParts.js"
import { ExitCode, fail } from "../ExitCode.js"
import * as Home from "../Home.js"

/** @since 0.1.0 */
export const archiveFile = (): string => NodePath.join(Home.home(), "archive.db")

/** @since 0.1.0 */
export const options = {
  profile: profileOption,
  baseUrl: baseUrlOption,
  since: Options.text("since").pipe(Options.withDefault("30"), Options.withDescription("The first day: YYYY-MM-DD, or a number of days back (default 30).")),
  types: Options.text("types").pipe(Options.optional, Options.withDescription("Data types, comma separated (default: every type the grant can read)."))
}

/** @since 0.1.0 */
export const parseSince = (since: string): Effect.Effect<{ readonly option: string | number; readonly day: string }, ReturnType<typeof fail>> => {
  if (/^\d{1,5}$/.test(since)) {
    const days = Number(since)
    return Effect.succeed({ option: days, day: new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10) })
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(since) && !Number.isNaN(Date.parse(`${since}T00:00:00Z`))) return Effect.succeed({ option: since, day: since })
  return Effect.fail(fail(ExitCode.usage, `--since: ${JSON.stringify(since)} is neither a date (YYYY-MM-DD) nor a number of days`))
}

/** @since 0.1.0 */
export const parseTypes = (types: Option.Option<string>): Effect.Effect<ReadonlyArray<string> | undefined, ReturnType<typeof fail>> => {
  if (Option.isNone(types)) return Effect.succeed(undefined)
  const list = types.value.split(",").map((t) => t.trim()).filter((t) => t !== "")
  const unknown = list.filter((t) => !(Sync.readableTypes() as ReadonlyArray<string>).includes(t))
  if (list.length === 0) return Effect.fail(fail(ExitCode.usage, "--types: (empty) names no data type"))
  if (unknown.length === 0) return Effect.succeed(list)
  const nearest = unknown.map((t) => `${JSON.stringify(t)} (did you mean ${JSON.stringify(GoogleDataTypes.nearestDataType(t))}?)`)
  return Effect.fail(fail(ExitCode.usage, `--types: ${nearest.join(", ")} ${unknown.length === 1 ? "is not a data type" : "are not data types"} the sync reads (fitbit-effect types lists them)`))
}

interface TypeProgress {
  windows: number
  points: number
  requests: number
  quotaWaits: number
  reached: string
  failed?: string
  /** When it last changed (a counter): the display keeps the types updated last. */
  updated: number
}

const DAY = 86_400_000

/** `n thing` or `n things`; in columns (`width`), the number padded to it and the word to its plural. */
const count = (n: number, thing: string, width = 0) =>
  `${String(n).padStart(width)} ${`${thing}${n === 1 ? "" : "s"}`.padEnd(width === 0 ? 0 : thing.length + 1)}`

/** The columns of a progress line besides its bar: the type (28), the brackets and the three counts. */
const FIXED_COLUMNS = 28 + 2 + 2 + 12 + 1 + 14 + 1 + 14

/** The progress display: a bar per type redrawn in place on a terminal, one line per window otherwise. */
const progress = (sinceDay: string) => {
  const tty = process.stderr.isTTY === true
  const types = new Map<string, TypeProgress>()
  let drawn = 0
  const today = Date.now()
  const start = Date.parse(`${sinceDay}T00:00:00Z`)
  const fraction = (reached: string) => reached === "" ? 0 : Math.max(0, Math.min(1, (Date.parse(`${reached}T00:00:00Z`) - start) / Math.max(DAY, today - start)))
  const draw = () => {
    // Each line within the terminal's width (a wrapped line would break the redraw in place): the
    // bar takes what the columns leave, and a line still too long is cut.
    const columns = process.stderr.columns ?? 100
    const width = Math.max(5, Math.min(30, columns - 1 - FIXED_COLUMNS))
    // Within the terminal's height too (lines scrolled off cannot be redrawn): the types updated
    // last, and one line for the rest.
    const room = Math.max(2, (process.stderr.rows ?? 40) - 2)
    const entries = [...types.entries()].sort(([, a], [, b]) => a.updated - b.updated)
    const shown = entries.length <= room ? entries : entries.slice(entries.length - (room - 1))
    const hidden = entries.slice(0, entries.length - shown.length).map(([, p]) => p)
    const lines = shown.map(([type, p]) => {
      const done = Math.round(fraction(p.reached) * width)
      const line = `${type.padEnd(28).slice(0, 28)} [${"#".repeat(done)}${"-".repeat(width - done)}] ${count(p.windows, "window", 4)} ${count(p.points, "point", 7)} ${count(p.requests, "request", 5)}${p.quotaWaits > 0 ? ` ${count(p.quotaWaits, "quota wait")}` : ""}${p.failed === undefined ? "" : " FAILED"}`
      return line.length < columns ? line : line.slice(0, Math.max(1, columns - 1))
    })
    if (hidden.length > 0) {
      const sum = (f: (p: TypeProgress) => number) => hidden.reduce((n, p) => n + f(p), 0)
      const rest = `… ${count(hidden.length, "more type")}: ${count(sum((p) => p.windows), "window")}, ${count(sum((p) => p.points), "point")}, ${count(sum((p) => p.requests), "request")}`
      lines.unshift(rest.length < columns ? rest : rest.slice(0, Math.max(1, columns - 1)))
    }
    let text = drawn > 0 ? `\x1b[${drawn}A` : ""
    text += lines.map((line) => `\r\x1b[2K${line}\n`).join("")
    drawn = lines.length
    process.stderr.write(text)
  }
  let updates = 0
  const of = (type: string) => {
    let p = types.get(type)
    if (p === undefined) {
      p = { windows: 0, points: 0, requests: 0, quotaWaits: 0, reached: "", updated: 0 }
      types.set(type, p)
    }
    p.updated = ++updates
    return p
  }
  const on = (event: SyncEngine.Event) =>
    Effect.sync(() => {
      switch (event._tag) {
        case "Window": {
          const p = of(event.dataType)
          p.windows++
          p.points += event.points
          p.requests += event.requests
          const end = event.window.end ?? new Date().toISOString().slice(0, 10)
          if (end > p.reached) p.reached = end
          if (!tty) process.stderr.write(`${event.dataType} ${event.window.start}..${event.window.end ?? "now"}: ${count(event.points, "point")}, ${count(event.requests, "request")} (${event.reason})\n`)
          break
        }
        case "QuotaWait":
          of(event.dataType).quotaWaits++
          if (!tty) process.stderr.write(`${event.dataType}: waiting ${Math.ceil(event.millis / 1000)} s for quota\n`)
          break
        case "TypeFailed":
          of(event.dataType).failed = event.reason
          if (!tty) process.stderr.write(`${event.dataType}: failed: ${event.reason}\n`)
          break
        default:
          return
      }
      if (tty) draw()
    })
  return { on, types }
}

/**
 * Runs one pass of the profile's sync into the archive, with progress on stderr.
 *
 * @since 0.1.0
 */
export const runSync = (args: {
  readonly profile: string
  readonly baseUrl: string | undefined
  readonly since: { readonly option: string | number; readonly day: string }
  readonly types: ReadonlyArray<string> | undefined
}) =>
  Effect.gen(function*() {
    const client = yield* Home.client(args.baseUrl)
    yield* Home.checkProfileOrigin(args.profile, client)
    const key = `google:${args.profile}`
    const tokens = Sql.layer({ sqlite: Home.tokensFile() })
    const grant = yield* Effect.provide(Effect.flatMap(TokenStore.TokenStore, (s) => s.get(key)), tokens)
    if (Option.isNone(grant)) {
      return yield* Effect.fail(fail(ExitCode.loginRequired, `profile ${JSON.stringify(args.profile)} is not logged in: run fitbit-effect login --profile ${args.profile}`))
    }
    // Without --types: the readable types the grant's scopes allow (Sync would try, and record a failure for, every other).
    const scopes = new Set(grant.value.tokens.scopes)
    const family = (type: string) => GoogleDataTypeRules.ruleOf(type)?.scope
    const allowed = (type: string) => {
      const f = family(type)
      return f === undefined || scopes.has(`https://www.googleapis.com/auth/googlehealth.${f}.readonly`) || scopes.has(`https://www.googleapis.com/auth/googlehealth.${f}`)
    }
    const dataTypes = args.types ?? Sync.readableTypes().filter(allowed)
    const file = archiveFile()
    Fs.mkdirSync(NodePath.dirname(file), { recursive: true, mode: 0o700 })
    if (!Fs.existsSync(file)) Fs.closeSync(Fs.openSync(file, "a", 0o600))
    const syncLayer = SyncNode.layer({
      store: { sqlite: file },
      google: {
        clientId: client.clientId,
        ...(client.clientSecret === undefined ? {} : { clientSecret: client.clientSecret }),
        ...(client.baseUrl === undefined ? {} : { baseUrl: client.baseUrl })
      },
      since: args.since.option,
      schedule: false,
      dataTypes
    })
    const shown = progress(args.since.day)
    const result = yield* Effect.scoped(Effect.gen(function*() {
      const store = yield* TokenStore.TokenStore
      yield* store.set(key, grant.value)
      // Whatever happens, a grant Sync refreshed goes back to tokens.db.
      yield* Effect.addFinalizer(() =>
        store.get(key).pipe(
          Effect.flatMap((now) =>
            Option.isSome(now) && now.value.updatedAt > grant.value.updatedAt
              ? Effect.provide(Effect.flatMap(TokenStore.TokenStore, (s) => s.set(key, now.value)), tokens)
              : Effect.void
          ),
          Effect.ignore
        )
      )
      const sync = yield* Sync.Sync
      const listener = yield* Effect.forkScoped(Stream.runForEach(sync.events, shown.on))
      yield* Effect.sleep("20 millis")
      // The pass is named by the passes the user finished (as Sync's queuePass names them): a pass a
      // killed run left in the archive's queue is the same message, run once, not twice.
      const engine = yield* SyncEngine.SyncEngine
      const finished = (yield* engine.users).find((u) => u.user === args.profile)?.passes ?? 0
      const entity = yield* Sync.SyncUser.client
      // A run stopped by Ctrl-C left its pass answered "interrupted" under that name: then a new name.
      const send = (pass: string) => entity(args.profile).Pass(new Sync.PassRequest({ user: args.profile, pass }))
      const done = yield* Effect.exit(send(`${args.profile}/${finished + 1}`)).pipe(
        Effect.flatMap((exit) => Exit.isInterrupted(exit) ? send(`${args.profile}/${finished + 1}-${Date.now().toString(36)}`) : exit),
        Effect.onInterrupt(() => err("stopped: run again to resume"))
      )
      yield* Effect.sleep("20 millis")
      yield* Fiber.interrupt(listener)
      return done
    })).pipe(Effect.provide(syncLayer))
    const failed = result.failedTypes.length
    yield* err(`synced ${args.profile}: ${count(result.points, "point")}, ${count(result.requests, "request")}, ${count([...shown.types.values()].reduce((n, p) => n + p.windows, 0), "window")}${failed > 0 ? `, ${count(failed, "type")} failed (${result.failedTypes.map((f) => `${f.dataType}: ${f.reason}`).join("; ")})` : ""} into ${file}`)
    if (result.parked !== undefined) {
      return yield* Effect.fail(fail(ExitCode.loginRequired, `the grant needs consent again (${result.parked}): run fitbit-effect login --profile ${args.profile}`))
    }
    // Types asked for by name that the login's scopes do not cover were not read: say so, exit 3.
    const skipped = args.types === undefined ? [] : (result.notGranted ?? [])
    if (skipped.length > 0) {
      const families = [...new Set(skipped.flatMap((t) => {
        const family = GoogleDataTypeRules.ruleOf(t)?.scope
        return family === undefined ? [] : [String(family)]
      }))]
      return yield* Effect.fail(fail(
        ExitCode.loginRequired,
        `not synced, the login's scopes do not cover them: ${skipped.join(", ")}; run: fitbit-effect login --profile ${args.profile} --scopes ${families.map((f) => `${f.replace(/^googlehealth\./, "")}.readonly`).join(",")} (with the scopes it has)`
      ))
    }
    // A failed type ended this run (it is tried again on the next): exit 5 when every failure was the network's, else 4.
    if (failed > 0) {
      const network = result.failedTypes.every((f) => /Transport|Timeout|timed out|answered 5\d\d|ServerError/i.test(f.reason))
      return yield* Effect.fail(fail(
        network ? ExitCode.network : ExitCode.api,
        `${count(failed, "type")} failed this run (${result.failedTypes.map((f) => f.dataType).join(", ")}); run again to retry them`
      ))
    }
    return result
  })

/** @since 0.1.0 */
export const syncCommand = Command.make(
  "sync",
  options,
  ({ baseUrl, profile, since, types }) =>
    Effect.gen(function*() {
      yield* checkProfile(profile)
      yield* runSync({ profile, baseUrl: Option.getOrUndefined(baseUrl), since: yield* parseSince(since), types: yield* parseTypes(types) })
    })
).pipe(Command.withDescription(help(
  "Syncs the profile's data into $FITBIT_EFFECT_HOME/archive.db (SQLite, the Sync module's tables). Resumable: Ctrl-C stops after the current window and the next run goes on from where it stopped.",
  ["fitbit-effect sync --since 90", "fitbit-effect sync --since 2026-01-01 --types steps,sleep"]
)))

/**
 * Forgets the copy of a profile's grant that `sync` keeps in the archive (Sync reads grants from the
 * database it syncs into), when there is an archive: `auth logout` and `auth revoke` leave no token
 * behind.
 *
 * @since 0.1.0
 */
export const forgetArchivedGrant = (profile: string) =>
  Effect.suspend(() => {
    const file = archiveFile()
    if (!Fs.existsSync(file)) return Effect.void
    return Effect.provide(Effect.flatMap(TokenStore.TokenStore, (store) => store.remove(`google:${profile}`)), Sql.layer({ sqlite: file }))
  })

/** Layer with the archive's SqlClient alone (reading it back). @since 0.1.0 */
export const archiveReader = () => Sql.sqlClient({ sqlite: archiveFile() }) as Layer.Layer<import("@effect/sql/SqlClient").SqlClient, unknown>
