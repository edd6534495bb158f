// Issue 29: the emulator checks core again. Google's per-data-type rules and scopes are written down
// three times, independently, and each is held against the others so that a mistake in any one of
// them fails here:
// - the emulator's own table (`Google.Rules`, `Google.Scopes`), what emulator-backed tests enforce;
// - core's (`GoogleDataTypeRules.RULES`, `GoogleAuth.SCOPES`), what the client checks before sending;
// - googleapis 188's discovery (fixtures/v4spec: the DataPoint and roll-up unions, the schema that holds
//   each type's time, the notes on filters, page sizes, data-source families and roll-up ranges, and
//   the scopes each method's example asks for).
// Type by type, every field the emulator and core both have is compared, and each against googleapis
// where googleapis says it. Last, googleapis' own client reads the types of the three newer scope
// families from the emulator with a grant minted with every scope.
import { describe, expect, it, layer } from "@effect/vitest"
import { GoogleAuth, GoogleDataTypeRules } from "@fitbit-effect/core"
import { Emulator, Google } from "@fitbit-effect/emulator"
import * as Effect from "effect/Effect"
import { google, type health_v4 } from "googleapis"
import * as Spec from "./fixtures/v4spec.js"

/** One source's view of a data type, in common terms; a field a source does not state is absent. */
interface View {
  readonly channel?: "v4" | "v4beta"
  readonly kind?: string
  readonly methods?: ReadonlyArray<string>
  readonly pageSize?: string
  readonly filter?: string
  readonly rollUpDays?: number | "none"
  readonly sourceFamily?: boolean
  readonly scope?: string
}

const sorted = (items: Iterable<string>) => [...items].sort()
const filterText = (members: ReadonlyArray<string>, operators: ReadonlyArray<string>, or: boolean) =>
  `${members.join(", ") || "none"} | ${operators.join(" ") || "none"}${or ? " | OR" : ""}`

// --- The emulator's table ----------------------------------------------------------------------

const emulatorView = (rule: Google.Rules.Rule): Required<View> => ({
  channel: rule.servedOn.includes("v4") ? "v4" : "v4beta",
  kind: rule.kind,
  methods: sorted(rule.methods),
  pageSize: `${rule.page.size} / ${rule.page.max}`,
  filter: filterText(rule.filter.members, rule.filter.comparisons, rule.filter.orRanges),
  rollUpDays: rule.rollUpReachDays ?? "none",
  sourceFamily: rule.listBySourceFamily,
  scope: rule.scopeFamily
})

// --- Core's table ------------------------------------------------------------------------------

/** Core's placements, in the emulator's kinds (core names sleep's and ECG's filters as placements of their own). */
const KIND_OF_PLACEMENT: Record<GoogleDataTypeRules.Placement, string> = {
  interval: "interval",
  sample: "sample",
  daily: "daily",
  session: "session",
  sleep: "session",
  ecg: "session",
  catalogue: "catalogue",
  rollup: "derived"
}

const coreView = (rule: GoogleDataTypeRules.DataTypeRule): Required<View> => ({
  channel: rule.channel,
  kind: KIND_OF_PLACEMENT[rule.placement],
  methods: sorted(rule.methods),
  pageSize: `${rule.pageSize.default} / ${rule.pageSize.max}`,
  filter: filterText(rule.filter.fields, rule.filter.operators, rule.filter.or),
  rollUpDays: rule.rollUpDays ?? "none",
  sourceFamily: rule.sourceFamily,
  scope: rule.scope
})

// --- googleapis' description -------------------------------------------------------------------

const v4 = Spec.channel("v4")
const v4beta = Spec.channel("v4beta")
const notes = Spec.declarations("v4")
const kebab = (field: string) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
/** The data-type ids a note names: "`sleep`, `food` and `food-measurement-unit`". */
const named = (list: string) => [...list.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!)
const noteMatch = (pattern: RegExp): RegExpExecArray => {
  const match = pattern.exec(notes)
  if (match === null) throw new Error(`googleapis' v4.d.ts no longer says ${pattern}`)
  return match
}

/** The methods googleapis decides per type; `get`, `create`, `patch` and `batchDelete` it leaves to "identifiable data types". */
const DECIDED_BY_GOOGLEAPIS = ["list", "reconcile", "rollUp", "dailyRollUp", "exportExerciseTcx"]

/** The data types a roll-up union serves, read off its fields' notes ("rolling up data points from the `heart-rate` data type"). */
const rolledUpBy = (schema: "RollupDataPoint" | "DailyRollupDataPoint"): ReadonlySet<string> =>
  new Set(v4.schemas.get(schema)!.flatMap((f) => {
    const from = /rolling up data points from the `([a-z0-9-]+)` data type/.exec(f.doc)
    return from === null ? [] : [from[1]!]
  }))

/** The kind a data type's value schema gives it: which field holds its time. */
const kindOfSchema = (schema: string): string => {
  const fields = v4beta.schemas.get(schema.replace("Schema$", ""))!
  const types = new Set(fields.map((f) => f.type))
  if (types.has("Schema$ObservationTimeInterval")) return "interval"
  if (types.has("Schema$ObservationSampleTime")) return "sample"
  if (types.has("Schema$SessionTimeInterval")) return "session"
  if (fields.some((f) => f.name === "date" && f.type === "Schema$Date")) return "daily"
  return "catalogue"
}

/**
 * The `list` filter note, section by section ("Pattern: `{interval_data_type}.interval.start_time` -
 * Supported comparison operators: `\>=`, `<` - … Supported logical operators: `AND`"): the members
 * each kind may name, and those of the types it singles out (sleep, ECG).
 */
const filterNote = (() => {
  const filterDoc = noteMatch(/Filter expression following https:\/\/google\.aip\.dev\/160\.([^\n]*)/)[1]!
  const byKind = new Map<string, { members: Array<string>; operators: Set<string>; or: boolean }>()
  const PLACEHOLDER: Record<string, string> = {
    interval_data_type: "interval",
    sample_data_type: "sample",
    daily_summary_data_type: "daily",
    session_data_type: "session"
  }
  for (const section of filterDoc.split(/ - Pattern: /).slice(1)) {
    const pattern = /^`\{?([a-z_]+)\\?\}?\.([a-z_.]+)`/.exec(section)!
    const owner = PLACEHOLDER[pattern[1]!] ?? pattern[1]!.replace(/_/g, "-")
    const operators = /Supported comparison operators: ((?:`[^`]+`(?:, )?)+)/.exec(section)![1]!
    const logical = /Supported logical operators: ((?:`[A-Z]+`(?:, )?)+)/.exec(section)?.[1] ?? ""
    const entry = byKind.get(owner) ?? { members: [], operators: new Set(), or: false }
    entry.members.push(pattern[2]!)
    for (const [, op] of operators.matchAll(/`([^`]+)`/g)) entry.operators.add(op!.replace("\\", ""))
    entry.or = entry.or || logical.includes("`OR`")
    byKind.set(owner, entry)
  }
  return byKind
})()

const googleapisFilter = (dataType: string, kind: string): string | undefined => {
  if (kind === "catalogue") return filterText([], [], false)
  if (kind === "derived") {
    // Only total-calories' value note names its filter; calories-in-heart-rate-zone's says nothing.
    if (dataType !== "total-calories") return undefined
    const members = noteMatch(/`total-calories` data type must include a time interval filter \(such as `total_calories\.([a-z_.]+)` or `total_calories\.([a-z_.]+)`\)/)
    return filterText([members[1]!, members[2]!], [">=", "<"], false)
  }
  const entry = filterNote.get(dataType) ?? filterNote.get(kind)!
  return filterText(entry.members, [...entry.operators], entry.or)
}

const googleapisViews = (): ReadonlyMap<string, View> => {
  const pages = noteMatch(/If unspecified, at most (\d+) data points will be returned\. The maximum page size is (\d+); values above that will be truncated accordingly\. For ((?:`[a-z0-9-]+`(?:, | and )?)+) the default page size is (\d+)\. The maximum page size for (?:`[a-z0-9-]+`(?:, | and )?)+ is (\d+)\./)
  const smallPages = new Set(named(pages[3]!))
  const noFamily = new Set(named(noteMatch(/Filtering by data source family is not supported for the ((?:`[a-z0-9-]+`(?:, | and )?)+) data types/)[1]!))
  const reach = noteMatch(/The maximum range for ((?:`[a-z0-9-]+`(?:, | and )?)+) is (\d+) days\. The maximum range for all other data types is (\d+) days\./)
  const shortReach = new Set(named(reach[1]!))
  const exported = new Set([noteMatch(/The resource name of the exercise data point to export\. Format: `users\/\{user\\\}\/dataTypes\/([a-z0-9-]+)\/dataPoints/)[1]!])
  const rollUp = rolledUpBy("RollupDataPoint")
  const dailyRollUp = rolledUpBy("DailyRollupDataPoint")
  const onV4 = new Set(v4.dataPointFields().map((f) => kebab(f.name)))
  const views = new Map<string, View>()
  const rollUps = (id: string): View => ({
    methods: sorted([...(rollUp.has(id) ? ["rollUp"] : []), ...(dailyRollUp.has(id) ? ["dailyRollUp"] : [])]),
    rollUpDays: rollUp.has(id) || dailyRollUp.has(id) ? Number(shortReach.has(id) ? reach[2] : reach[3]) : "none"
  })
  for (const field of v4beta.dataPointFields()) {
    const id = kebab(field.name)
    const kind = kindOfSchema(field.type)
    const { methods, rollUpDays } = rollUps(id)
    views.set(id, {
      channel: onV4.has(id) ? "v4" : "v4beta",
      kind,
      methods: sorted(["list", "reconcile", ...methods!, ...(exported.has(id) ? ["exportExerciseTcx"] : [])]),
      pageSize: smallPages.has(id) ? `${pages[4]} / ${pages[5]}` : `${pages[1]} / ${pages[2]}`,
      filter: googleapisFilter(id, kind)!,
      rollUpDays: rollUpDays!,
      sourceFamily: !noFamily.has(id)
    })
  }
  // The types served by roll-ups only: in a roll-up union, not in DataPoint.
  for (const id of new Set([...rollUp, ...dailyRollUp])) {
    if (views.has(id)) continue
    const filter = googleapisFilter(id, "derived")
    views.set(id, { channel: "v4", kind: "derived", ...rollUps(id), ...(filter === undefined ? {} : { filter }) })
  }
  return views
}

// --- The comparison ----------------------------------------------------------------------------

const FIELDS = ["channel", "kind", "methods", "pageSize", "filter", "rollUpDays", "sourceFamily", "scope"] as const
const show = (value: unknown) => JSON.stringify(value)

describe("Google's rules per data type: the emulator's table, core's and googleapis' agree", () => {
  const emulator = new Map(Object.entries(Google.Rules.RULES).map(([id, rule]) => [id, emulatorView(rule)]))
  const core = new Map(Object.entries(GoogleDataTypeRules.RULES).map(([id, rule]) => [id, coreView(rule)]))
  const googleapis = googleapisViews()

  it("all three list the same data types", () => {
    expect(sorted(emulator.keys())).toEqual(sorted(googleapis.keys()))
    expect(sorted(core.keys())).toEqual(sorted(googleapis.keys()))
  })

  it("the emulator and core agree on every field, type by type", () => {
    const differences: Array<string> = []
    for (const [id, ours] of emulator) {
      const theirs = core.get(id)
      if (theirs === undefined) continue
      for (const field of FIELDS) {
        if (show(ours[field]) !== show(theirs[field])) differences.push(`${id}.${field}: emulator ${show(ours[field])}, core ${show(theirs[field])}`)
      }
    }
    expect(differences).toEqual([])
  })

  it("each agrees with googleapis wherever googleapis says (methods: those it decides per type)", () => {
    const differences: Array<string> = []
    for (const [source, views] of [["emulator", emulator], ["core", core]] as const) {
      for (const [id, ours] of views) {
        const theirs = googleapis.get(id)
        if (theirs === undefined) continue
        for (const field of FIELDS) {
          if (theirs[field] === undefined) continue
          const mine = field === "methods" ? ours.methods.filter((m) => DECIDED_BY_GOOGLEAPIS.includes(m)) : ours[field]
          if (show(mine) !== show(theirs[field])) differences.push(`${id}.${field}: ${source} ${show(mine)}, googleapis ${show(theirs[field])}`)
        }
      }
    }
    expect(differences).toEqual([])
  })

  it("the notes it reads are the ones Google wrote: sleep ORs on its end, ECG starts with >= only, four types roll up 14 days", () => {
    expect(googleapis.get("sleep")?.filter).toBe("interval.end_time, interval.civil_end_time | >= < | OR")
    expect(googleapis.get("electrocardiogram")?.filter).toBe("interval.start_time | >=")
    expect(googleapis.get("daily-vo2-max")?.filter).toBe("date | >= <")
    expect(googleapis.get("food")?.filter).toBe("none | none")
    expect(sorted([...googleapis].filter(([, v]) => v.rollUpDays === 14).map(([id]) => id)))
      .toEqual(["active-minutes", "calories-in-heart-rate-zone", "heart-rate", "total-calories"])
    expect(googleapis.get("skin-temperature-sensors")?.channel).toBe("v4beta")
    expect(googleapis.get("daily-resting-heart-rate")?.methods).toEqual(["dailyRollUp", "list", "reconcile"])
  })

  it("every scope family a type needs is one googleapis' dataPoints methods ask for: .readonly to read, .writeonly to write", () => {
    const scopes = Spec.methodScopes("v4")
    const reading = new Set(scopes.get("users.dataTypes.dataPoints.list")!.map((s) => s.replace(GoogleAuth.SCOPE_PREFIX, "")))
    const writing = new Set(scopes.get("users.dataTypes.dataPoints.create")!.map((s) => s.replace(GoogleAuth.SCOPE_PREFIX, "")))
    const missing: Array<string> = []
    for (const [id, rule] of Object.entries(Google.Rules.RULES)) {
      // googleapis' examples leave nutrition.readonly out (Google's scopes page lists it): the one known gap.
      if (!reading.has(`${rule.scopeFamily}.readonly`) && rule.scopeFamily !== "nutrition") missing.push(`${id}: ${rule.scopeFamily}.readonly`)
      if (rule.methods.has("create") && !writing.has(`${rule.scopeFamily}.writeonly`)) missing.push(`${id}: ${rule.scopeFamily}.writeonly`)
    }
    expect(missing).toEqual([])
  })
})

describe("Google Health scopes: the emulator's, core's and googleapis' agree", () => {
  const names = (urls: ReadonlyArray<string>) => new Set(urls.map((s) => s.replace(Google.Scopes.SCOPE_PREFIX, "")))
  const googleapis = new Set([...names(Spec.scopesOf("v4")), ...names(Spec.scopesOf("v4beta"))])
  const emulator = new Set(Google.Scopes.SCOPE_NAMES)
  const core = new Set<string>(GoogleAuth.SCOPES)
  const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>) => sorted([...a].filter((s) => !b.has(s)))

  it("the prefixes are the same", () => {
    expect(Google.Scopes.SCOPE_PREFIX).toBe(GoogleAuth.SCOPE_PREFIX)
    expect(Spec.scopesOf("v4").every((s) => s.startsWith(Google.Scopes.SCOPE_PREFIX))).toBe(true)
  })

  it("every scope googleapis names is the emulator's and core's", () => {
    expect(minus(googleapis, emulator)).toEqual([])
    expect(minus(googleapis, core)).toEqual([])
  })

  it("beyond googleapis, the emulator has nutrition.readonly (on Google's scopes page, not in googleapis' examples) and the launch-time full scopes only", () => {
    const suffixed = (s: string) => s.endsWith(".readonly") || s.endsWith(".writeonly")
    expect(minus(emulator, googleapis).filter(suffixed)).toEqual(["nutrition.readonly"])
    expect(minus(emulator, googleapis).filter((s) => !suffixed(s)))
      .toEqual(["activity_and_fitness", "health_metrics_and_measurements", "nutrition", "profile", "settings", "sleep"])
  })

  it("core and the emulator list the same scopes, but for core's bare location, which no Google source names (Google offers location.readonly)", () => {
    expect({ coreOnly: minus(core, emulator), emulatorOnly: minus(emulator, core) }).toEqual({ coreOnly: ["location"], emulatorOnly: [] })
  })

  it("a grant minted with every scope holds every scope googleapis names", () => {
    const everything = names(Google.Scopes.SCOPES)
    expect(minus(googleapis, everything)).toEqual([])
    expect(sorted(everything)).toEqual(sorted(emulator))
  })
})

// --- googleapis' own client against the emulator -----------------------------------------------

const healthOf = (baseUrl: string, token: string): health_v4.Health => {
  const auth = new google.auth.OAuth2("rules-client", "rules-secret")
  auth.setCredentials({ access_token: token, token_type: "Bearer" })
  return google.health({ version: "v4", rootUrl: `${baseUrl}/`, auth })
}

/** A civil-date range filter on the member Google gives each type's kind. */
const NEWER_FAMILIES: Record<string, string> = {
  "menstrual-period": "interval.civil_start_time",
  "moods": "sample_time.civil_time",
  "ovulation-test": "sample_time.civil_time",
  "symptoms": "sample_time.civil_time"
}

layer(Emulator.layer({ clock: { start: "2026-11-25T12:00:00Z" } }), { excludeTestServices: true })(
  "googleapis' client reads the reproductive-health, mindfulness and logged-symptoms types with a grant of every scope",
  (it) => {
    for (const [dataType, member] of Object.entries(NEWER_FAMILIES)) {
      it.effect(dataType, () =>
        Effect.gen(function*() {
          const emu = yield* Emulator.EmulatorService
          const { accessToken } = Google.grantTokens(emu.state)
          const field = `${dataType.replace(/-/g, "_")}.${member}`
          const res = yield* Effect.promise(() =>
            healthOf(emu.baseUrl, accessToken).users.dataTypes.dataPoints.list({
              parent: `users/me/dataTypes/${dataType}`,
              filter: `${field} >= "2026-09-01" AND ${field} < "2026-11-25"`
            }).then((r) => ({ status: r.status, points: r.data.dataPoints ?? [] }), (e: { status?: number }) => ({ status: e.status, points: [] })))
          expect(res.status).toBe(200)
          expect(res.points.length).toBeGreaterThan(0)
        }))
    }
  }
)
