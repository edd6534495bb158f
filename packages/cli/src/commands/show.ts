/**
 * `fitbit-effect show TYPE [--days N]`: one value per day of a day-shaped data type over the last
 * `N` days in the user's time zone, live from Google Health: a bar chart on a terminal, `YYYY-MM-DD
 * value` lines when piped, or JSON / CSV.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { CivilDateRange, GoogleDataPoints, GoogleDataTypes, GoogleHealthSession } from "@fitbit-effect/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { baseUrlOption, checkProfile, help, profileOption } from "../CommandParts.js"
import { ExitCode, fail } from "../ExitCode.js"
import * as Output from "../Output.js"
import * as Services from "../Services.js"

type Json = Record<string, unknown>
const at = (value: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Json)[key] : undefined), value)
const num = (value: unknown): number | undefined => {
  const n = typeof value === "string" ? Number(value) : value
  return typeof n === "number" && Number.isFinite(n) ? n : undefined
}
/** A decoded point's value (`value`), or the field of a point kept as JSON. */
const valueOf = (point: unknown, field: string): unknown => at(point, "value") ?? at(point, field) ?? at(point, "raw", field)
const dateOf = (value: unknown): string | undefined =>
  GoogleDataTypes.formatDate(value as Parameters<typeof GoogleDataTypes.formatDate>[0])

/** How a day's value is read: from daily roll-ups, or from the listed points of the range. */
interface Shown {
  readonly unit: string
  readonly source: "rollup" | "list"
  /** A roll-up window's value. */
  readonly window?: (window: unknown) => number | undefined
  /** A point's day and value. */
  readonly point?: (point: unknown) => { readonly day: string; readonly value: number; readonly order: string } | undefined
  /** How the points of one day make its value. */
  readonly combine?: "sum" | "last"
  /** A level (weight, a heart rate) rather than a count: its bars start near the smallest value, not at 0. */
  readonly level?: boolean
}

/**
 * The day-shaped types `show` charts, and how each day's value is made.
 *
 * @since 0.1.0
 * @category constants
 */
export const SHOWN: Readonly<Record<string, Shown>> = {
  steps: { unit: "steps", source: "rollup", window: (w) => num(at(w, "steps", "countSum")) },
  sleep: {
    unit: "minutes asleep",
    source: "list",
    combine: "sum",
    point: (p) => {
      const day = dateOf(at(valueOf(p, "sleep"), "interval", "civilEndTime", "date"))
      const value = num(at(valueOf(p, "sleep"), "summary", "minutesAsleep"))
      return day === undefined || value === undefined ? undefined : { day, value, order: String(at(valueOf(p, "sleep"), "interval", "endTime") ?? "") }
    }
  },
  "daily-resting-heart-rate": {
    unit: "bpm",
    source: "list",
    combine: "last",
    level: true,
    point: (p) => {
      const day = dateOf(at(valueOf(p, "dailyRestingHeartRate"), "date"))
      const value = num(at(valueOf(p, "dailyRestingHeartRate"), "beatsPerMinute"))
      return day === undefined || value === undefined ? undefined : { day, value, order: day }
    }
  },
  weight: {
    unit: "kg",
    source: "list",
    combine: "last",
    level: true,
    point: (p) => {
      const day = dateOf(at(valueOf(p, "weight"), "sampleTime", "civilTime", "date"))
      const grams = num(at(valueOf(p, "weight"), "weightGrams"))
      return day === undefined || grams === undefined ? undefined : { day, value: Math.round(grams / 10) / 100, order: String(at(valueOf(p, "weight"), "sampleTime", "physicalTime") ?? "") }
    }
  }
}

/**
 * One day's value (`null`: no data that day).
 *
 * @since 0.1.0
 * @category models
 */
export interface Day {
  readonly date: string
  readonly value: number | null
}

const datesOf = (start: string, end: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let d = new Date(`${start}T00:00:00Z`); d.toISOString().slice(0, 10) < end; d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10))
  }
  return out
}

const format = (n: number): string => Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1)

/**
 * The chart: a bar per day, the value beside, then min / max / mean. A count's bars run from 0 to
 * the largest value; a level's (`level`: weight, a heart rate, which never come near 0) from a floor
 * a quarter of the range below the smallest, named in the title, so a day's change shows.
 *
 * @since 0.1.0
 * @category formatting
 */
export const chart = (type: string, unit: string, days: ReadonlyArray<Day>, width: number, level = false): string => {
  const values = days.flatMap((d) => d.value === null ? [] : [d.value])
  const max = values.length === 0 ? 0 : Math.max(...values)
  const min = values.length === 0 ? 0 : Math.min(...values)
  const floor = !level || values.length === 0 ? 0 : Math.max(0, max === min ? min - 1 : min - (max - min) / 4)
  const labels = days.map((d) => d.value === null ? "–" : format(d.value))
  const labelWidth = Math.max(...labels.map((l) => l.length), 1)
  const barWidth = Math.max(10, Math.min(60, width - 10 - 2 - labelWidth - 2))
  const eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
  const bar = (value: number) => {
    const units = max - floor <= 0 ? 0 : Math.round(((value - floor) / (max - floor)) * barWidth * 8)
    return "█".repeat(Math.floor(units / 8)) + eighths[units % 8]
  }
  const lines = [`${type} (${unit}), ${days[0]?.date ?? ""} to ${days[days.length - 1]?.date ?? ""}${floor === 0 ? "" : `, bars from ${format(Math.round(floor * 100) / 100)}`}`]
  days.forEach((d, i) => lines.push(`${d.date}  ${labels[i]!.padStart(labelWidth)}  ${d.value === null ? "" : bar(d.value)}`))
  if (values.length === 0) lines.push("no data in these days")
  else {
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    lines.push(`min ${format(min)}  max ${format(max)}  mean ${format(Math.round(mean * 100) / 100)}  (${values.length} of ${days.length} days with data)`)
  }
  return `${lines.join("\n")}\n`
}

/**
 * `fitbit-effect show`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const showCommand = Command.make(
  "show",
  {
    type: Args.text({ name: "TYPE" }).pipe(Args.withDescription(`A day-shaped data type: ${Object.keys(SHOWN).join(", ")}.`)),
    days: Options.integer("days").pipe(Options.withDefault(7), Options.withDescription("How many days, today included (default 7).")),
    profile: profileOption,
    baseUrl: baseUrlOption,
    format: Options.choice("format", ["chart", "text", "json", "csv"] as const).pipe(
      Options.optional,
      Options.withDescription("chart (default on a terminal), text (YYYY-MM-DD value; default when piped), json or csv.")
    )
  },
  ({ baseUrl, days, format: chosen, profile, type }) =>
    Effect.gen(function*() {
      const shown = SHOWN[type]
      if (shown === undefined) {
        return yield* Effect.fail(fail(ExitCode.usage, `show: ${JSON.stringify(type)} is not one of the day-shaped types it charts: ${Object.keys(SHOWN).join(", ")}`))
      }
      if (days < 1 || days > 366) return yield* Effect.fail(fail(ExitCode.usage, "--days: from 1 to 366"))
      yield* checkProfile(profile)
      const series = yield* Services.withProfileSession(Option.getOrUndefined(baseUrl), profile, () =>
        Effect.gen(function*() {
          const sessions = yield* GoogleHealthSession.GoogleHealthSession
          if (Option.isNone(yield* sessions.session.grant(profile))) {
            return yield* Effect.fail(fail(ExitCode.loginRequired, `profile ${JSON.stringify(profile)} is not logged in: run fitbit-effect login --profile ${profile}`))
          }
          const token = yield* sessions.session.accessToken(profile)
          const range = yield* CivilDateRange.forUser(token, { lastDays: days })
          const dates = datesOf(range.start, range.end)
          const values = new Map<string, number>()
          const dataType = type as GoogleDataTypes.DataTypeId
          if (shown.source === "rollup") {
            const windows = yield* GoogleDataPoints.dailyRollUpByDate(token, dataType, { start: range.start, end: dates[dates.length - 1]! })
            for (const [date, window] of windows) {
              const value = shown.window!(window)
              if (value !== undefined) values.set(date, value)
            }
          } else {
            const points = yield* Stream.runCollect(GoogleDataPoints.stream(token, dataType, { filter: GoogleDataPoints.filters.range(type, range.start, range.end) }))
            const read = [...points].flatMap((p) => {
              const r = shown.point!(p)
              return r === undefined ? [] : [r]
            }).sort((a, b) => a.order < b.order ? -1 : a.order > b.order ? 1 : 0)
            for (const r of read) values.set(r.day, shown.combine === "sum" ? (values.get(r.day) ?? 0) + r.value : r.value)
          }
          return dates.map((date): Day => ({ date, value: values.get(date) ?? null }))
        }))
      const mode = Option.getOrElse(chosen, () => Output.stdoutIsTerminal() ? "chart" as const : "text" as const)
      const text = mode === "chart"
        ? chart(type, shown.unit, series, process.stdout.columns ?? 80, shown.level === true)
        : mode === "json"
        ? `${JSON.stringify(series.map((d) => ({ date: d.date, [type]: d.value })))}\n`
        : mode === "csv"
        ? Output.toCsv(series.map((d) => ({ date: d.date, value: d.value ?? "" })))
        : series.map((d) => `${d.date} ${d.value === null ? "" : format(d.value)}`.trimEnd()).join("\n") + "\n"
      yield* Effect.promise(() => Output.write(text))
    })
).pipe(Command.withDescription(help(
  `A day per line for the last --days days (today included) in the user's time zone, live from Google Health: a bar chart with min, max and mean on a terminal, "YYYY-MM-DD value" lines when piped. Types: steps (sum per day), sleep (minutes asleep, by the night's end), daily-resting-heart-rate (bpm), weight (kg, the day's last).`,
  ["fitbit-effect show steps", "fitbit-effect show sleep --days 30", "fitbit-effect show weight --format csv > weight.csv"]
)))
