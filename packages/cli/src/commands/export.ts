/**
 * `fitbit-effect export`: syncs (unless `--no-sync`), then writes the archive's points of the
 * chosen types since a day as CSV, NDJSON, JSON or a SQLite copy.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as SqlClient from "@effect/sql/SqlClient"
import { GoogleDataTypes } from "@fitbit-effect/core"
import { Sync } from "@fitbit-effect/core/sync"
import * as Sql from "@fitbit-effect/node/sql"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import { ExitCode, fail } from "../ExitCode.js"
import { checkProfile, err, help } from "../CommandParts.js"
import { archiveFile, archiveReader, options, parseSince, parseTypes, runSync } from "./sync.js"

const FORMATS = ["csv", "ndjson", "json", "sqlite"] as const

const csvCell = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text
}

/** A writer to a file or stdout, honouring back-pressure. */
const writer = (out: string) => {
  const stream = out === "-" ? process.stdout : Fs.createWriteStream(out, { mode: 0o600 })
  const write = (text: string) =>
    Effect.async<void>((resume) => {
      if (stream.write(text)) resume(Effect.void)
      else stream.once("drain", () => resume(Effect.void))
    })
  const close = out === "-" ? Effect.void : Effect.async<void>((resume) => {
    ;(stream as Fs.WriteStream).end(() => resume(Effect.void))
  })
  return { write, close }
}

// Every day from the first on (the emulator, like Google, may hold points dated ahead of the local clock).
const tomorrow = () => "9999-12-31"

/** @since 0.1.0 */
export const exportCommand = Command.make(
  "export",
  {
    ...options,
    format: Options.choice("format", FORMATS).pipe(Options.withDefault("ndjson" as const), Options.withDescription("csv, ndjson, json or sqlite (default ndjson).")),
    out: Options.text("out").pipe(Options.withDescription("The file to write, or - for stdout.")),
    noSync: Options.boolean("no-sync").pipe(Options.withDescription("Export what the archive holds, without syncing first.")),
    yes: Options.boolean("yes").pipe(Options.withDescription("Overwrite an existing file."))
  },
  ({ baseUrl, format, noSync, out, profile, since, types, yes }) =>
    Effect.gen(function*() {
      yield* checkProfile(profile)
      const day = yield* parseSince(since)
      const chosen = yield* parseTypes(types)
      if (out === "-" && format === "sqlite") return yield* Effect.fail(fail(ExitCode.usage, "--format sqlite needs a file (--out FILE)"))
      if (out !== "-" && Fs.existsSync(out) && !yes) return yield* Effect.fail(fail(ExitCode.usage, `${out} exists: give --yes to overwrite it`))
      if (!noSync) yield* runSync({ profile, baseUrl: Option.getOrUndefined(baseUrl), since: day, types: chosen })
      if (!Fs.existsSync(archiveFile())) return yield* Effect.fail(fail(ExitCode.usage, `no archive yet (${archiveFile()}): run fitbit-effect sync`))
      const end = tomorrow()
      const written = yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const present = (yield* sql.unsafe<{ data_type: string }>("SELECT DISTINCT data_type FROM fitbit_effect_points WHERE user_key = ? ORDER BY data_type", [profile]))
          .map((r) => r.data_type)
        const list = chosen === undefined ? present : chosen.filter((t) => present.includes(t))
        if (format === "sqlite") {
          if (Fs.existsSync(out)) Fs.rmSync(out)
          yield* sql.unsafe("VACUUM INTO ?", [out])
          return list.length
        }
        const w = writer(out)
        let count = 0
        if (format === "csv") yield* w.write("user,data_type,day,start_time,end_time,source,amount,value_json\n")
        if (format === "json") yield* w.write("[")
        for (const dataType of list) {
          if (format === "csv") {
            const rows = yield* sql.unsafe<Record<string, unknown>>(
              "SELECT user_key, data_type, day, start_time, end_time, source, amount, value_json FROM fitbit_effect_points WHERE user_key = ? AND data_type = ? AND day >= ? AND day < ? ORDER BY day, start_time, point_key",
              [profile, dataType, day.day, end]
            )
            for (const r of rows) {
              yield* w.write([r.user_key, r.data_type, r.day, r.start_time, r.end_time, r.source, r.amount, r.value_json].map(csvCell).join(",") + "\n")
              count++
            }
            continue
          }
          if (!GoogleDataTypes.isKnownDataType(dataType)) continue
          yield* Stream.runForEach(Sync.query({ user: profile, dataType, range: { start: day.day, end } }), (point) => {
            const text = JSON.stringify(point)
            const chunk = format === "json" ? `${count === 0 ? "\n" : ",\n"}${text}` : `${text}\n`
            count++
            return w.write(chunk)
          })
        }
        if (format === "json") yield* w.write(count === 0 ? "]\n" : "\n]\n")
        yield* w.close
        return count
      }).pipe(Effect.provide(archiveReader()))
      let points = written
      if (format === "sqlite") {
        // The copy keeps the chosen types and days of this profile only, and no grant.
        points = yield* Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const tables = (yield* sql.unsafe<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name)
          for (const table of tables) {
            if (table.startsWith("cluster_") || table.includes("grant") || table.includes("lease") || table.includes("rate")) yield* sql.unsafe(`DROP TABLE IF EXISTS "${table}"`)
          }
          yield* sql.unsafe("DELETE FROM fitbit_effect_points WHERE user_key <> ? OR day < ? OR day >= ?", [profile, day.day, end])
          if (chosen !== undefined) {
            yield* sql.unsafe(`DELETE FROM fitbit_effect_points WHERE data_type NOT IN (${chosen.map(() => "?").join(",")})`, [...chosen])
            yield* sql.unsafe(`DELETE FROM fitbit_effect_sync_cursors WHERE data_type NOT IN (${chosen.map(() => "?").join(",")})`, [...chosen])
          }
          // The cursors and users of what the copy holds only: this profile, its types, from the first day exported.
          yield* sql.unsafe("DELETE FROM fitbit_effect_sync_cursors WHERE user_key <> ?", [profile])
          yield* sql.unsafe("DELETE FROM fitbit_effect_sync_users WHERE user_key <> ?", [profile])
          yield* sql.unsafe("UPDATE fitbit_effect_sync_cursors SET low = ? WHERE low IS NOT NULL AND low <> '' AND low < ?", [day.day, day.day])
          yield* sql.unsafe("VACUUM")
          const [kept] = yield* sql.unsafe<{ n: number }>("SELECT COUNT(*) AS n FROM fitbit_effect_points")
          return Number(kept?.n ?? 0)
        }).pipe(Effect.provide(Sql.sqlClient({ sqlite: out })))
        Fs.chmodSync(out, 0o600)
      }
      if (out !== "-") yield* err(`wrote ${out} (${format}, ${points} points)`)
    })
).pipe(Command.withDescription(help(
  "Syncs the profile (unless --no-sync), then writes the archive's points of the types since the day: CSV (user, data_type, day, start_time, end_time, source, amount, value_json), NDJSON (one decoded point a line), JSON (one array) or a SQLite copy of the archive holding only those points. Refuses to overwrite a file without --yes.",
  ["fitbit-effect export --types steps,sleep --since 2026-01-01 --format csv --out health.csv", "fitbit-effect export --since 30 --format ndjson --out - | jq .dataType"]
)))
