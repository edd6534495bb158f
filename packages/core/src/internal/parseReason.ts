/**
 * Describes why a value did not match a schema by path and kind only, never by value: a token
 * answer, a stored grant or a health record that fails to decode must not end up quoted in an
 * error message, a log line or a stack. `at ["access_token"]: expected string, got an array (1
 * item)` says what to fix without repeating what was received.
 *
 * @since 0.1.0
 */
import * as ParseResult from "effect/ParseResult"
import type * as SchemaAST from "effect/SchemaAST"
import * as Errors from "../Errors.js"

/** At most this many mismatches are named; the rest are counted. */
const MAX_ISSUES = 8
/** A schema's description is cut to this many characters (a struct's can be long). */
const MAX_EXPECTED = 160

/**
 * The kind of a received value, with its size where that helps (never its content).
 *
 * @since 0.1.0
 * @category formatting
 */
export const kindOf = (value: unknown): string => {
  if (value === null) return "null"
  if (value === undefined) return "nothing"
  if (Array.isArray(value)) return `an array (${value.length} item${value.length === 1 ? "" : "s"})`
  switch (typeof value) {
    case "string":
      return `a string (${value.length} character${value.length === 1 ? "" : "s"})`
    case "number":
      return Number.isFinite(value) ? "a number" : "a non-finite number"
    case "object":
      return "an object"
    default:
      return `a ${typeof value}`
  }
}

const expected = (ast: SchemaAST.AST): string => {
  const text = String(ast)
  return text.length > MAX_EXPECTED ? `${text.slice(0, MAX_EXPECTED)}…` : text
}

const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0 ? "at the top level" : `at [${path.map((key) => typeof key === "number" ? String(key) : JSON.stringify(String(key))).join("][")}]`

const collect = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>, out: Array<string>): void => {
  switch (issue._tag) {
    case "Pointer":
      collect(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path as PropertyKey])], out)
      return
    case "Composite": {
      if (issue.ast._tag === "Union") {
        out.push(`${pathText(path)}: expected ${expected(issue.ast)}, got ${kindOf(issue.actual)}`)
        return
      }
      const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
      for (const inner of issues) collect(inner, path, out)
      return
    }
    case "Refinement":
      if (issue.kind === "From") collect(issue.issue, path, out)
      else out.push(`${pathText(path)}: ${kindOf(issue.actual)} that is not ${expected(issue.ast)}`)
      return
    case "Transformation":
      collect(issue.issue, path, out)
      return
    case "Type":
      out.push(`${pathText(path)}: expected ${expected(issue.ast)}, got ${kindOf(issue.actual)}`)
      return
    case "Missing":
      out.push(`${pathText(path)}: is missing`)
      return
    case "Unexpected":
      out.push(`${pathText(path)}: is not expected here`)
      return
    case "Forbidden":
      out.push(`${pathText(path)}: cannot be decoded synchronously`)
      return
  }
}

/**
 * The path of the first mismatch of a parse failure (`["sampleTime", "physicalTime"]`), empty when
 * the value itself is wrong: the field a caller must fix.
 *
 * @since 0.1.0
 * @category formatting
 */
export const firstPath = (error: ParseResult.ParseError | ParseResult.ParseIssue): ReadonlyArray<PropertyKey> => {
  let issue: ParseResult.ParseIssue = ParseResult.isParseError(error) ? error.issue : error
  const path: Array<PropertyKey> = []
  for (;;) {
    switch (issue._tag) {
      case "Pointer":
        path.push(...(Array.isArray(issue.path) ? issue.path : [issue.path as PropertyKey]))
        issue = issue.issue
        continue
      case "Composite": {
        if (issue.ast._tag === "Union") return path
        const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
        if (issues.length === 0) return path
        issue = issues[0]!
        continue
      }
      case "Refinement":
      case "Transformation":
        if (issue._tag === "Refinement" && issue.kind !== "From") return path
        issue = issue.issue
        continue
      default:
        return path
    }
  }
}

/**
 * Every mismatch of a parse failure, by path and expected kind, without the received values.
 *
 * @since 0.1.0
 * @category formatting
 */
export const describe = (error: ParseResult.ParseError | ParseResult.ParseIssue): string => {
  const out: Array<string> = []
  collect(ParseResult.isParseError(error) ? error.issue : error, [], out)
  const shown = out.slice(0, MAX_ISSUES).join("; ")
  return out.length > MAX_ISSUES ? `${shown}; and ${out.length - MAX_ISSUES} more` : shown
}

/**
 * The `DecodeError` of a response whose body did not match its schema, described with
 * {@link describe} (never the body).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeError = (
  response: { readonly status: number; readonly url: string },
  method: string,
  error: ParseResult.ParseError | ParseResult.ParseIssue
): Errors.DecodeError =>
  new Errors.DecodeError({ status: response.status, method, url: response.url, reason: describe(error) })
