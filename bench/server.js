// The benchmark's loopback server, run in its own process (forked by run.js) so its CPU time is
// never charged to a client. Raw `node:http`, keep-alive, every answer precomputed: the fixed
// Fitbit profile (with `Fitbit-Rate-Limit-*` headers) on `/{version}/user/{id}/profile.json`,
// the Google Health v4 profile on `/v4/users/{user}/profile`, and (with `--pages`) the large
// `dataPoints.list` pages of lib/pages-fixtures.js on `/v4/users/me/dataTypes/{type}/dataPoints`
// (`pageSize` picks the page; for the user `stream`, 20 pages of 10,000 heart-rate points follow `pageToken`); anything else is a 404.
//
// IPC: sends {type: "listening", port}; answers {type: "cpu"} with its CPU time so far, so the
// orchestrator can tell how busy the server was while each contender ran.
import { Buffer } from "node:buffer"
import * as http from "node:http"
import { fitbitProfile, googleProfile, rateLimitHeaders } from "./lib/fixtures.js"

/** With `--pages`: every page body by `{type}|{size}`, and the stream's pages by token. */
const pages = new Map()
const streamPages = []
if (process.argv.includes("--pages")) {
  const { PAGES, STREAM, pageText, points } = await import("./lib/pages-fixtures.js")
  for (const [type, size] of PAGES) pages.set(`${type}|${size}`, Buffer.from(pageText(JSON.stringify(points(type, size)))))
  const streamPoints = JSON.stringify(points("heart-rate", STREAM.size))
  for (let i = 0; i < STREAM.pages; i++) {
    streamPages.push(Buffer.from(pageText(streamPoints, i + 1 < STREAM.pages ? `p${i + 1}` : undefined)))
  }
}
const DATA_POINTS = /^\/v4\/users\/([^/]+)\/dataTypes\/([a-z-]+)\/dataPoints$/

const json = (value) => Buffer.from(JSON.stringify(value))
const FITBIT_BODY = json(fitbitProfile)
const GOOGLE_BODY = json(googleProfile)
const NOT_FOUND_BODY = json({ errors: [{ errorType: "not_found", message: "bench server: no such path" }], success: false })

const headersFor = (body, extra) => ({
  "Content-Type": "application/json; charset=utf-8",
  "Content-Length": String(body.length),
  ...extra
})
const FITBIT_HEADERS = headersFor(FITBIT_BODY, rateLimitHeaders)
const GOOGLE_HEADERS = headersFor(GOOGLE_BODY, {})
const NOT_FOUND_HEADERS = headersFor(NOT_FOUND_BODY, rateLimitHeaders)

const FITBIT_PROFILE = /^\/1(\.[12])?\/user\/[^/]+\/profile\.json$/
const GOOGLE_PROFILE = /^\/v4\/users\/[^/]+\/profile$/

const server = http.createServer({ keepAliveTimeout: 120_000 }, (req, res) => {
  const path = req.url.split("?", 1)[0]
  // Drain any request body before answering so the connection stays reusable.
  req.resume()
  if (req.method === "GET" && FITBIT_PROFILE.test(path)) {
    res.writeHead(200, FITBIT_HEADERS)
    res.end(FITBIT_BODY)
  } else if (req.method === "GET" && GOOGLE_PROFILE.test(path)) {
    res.writeHead(200, GOOGLE_HEADERS)
    res.end(GOOGLE_BODY)
  } else if (req.method === "GET" && DATA_POINTS.test(path) && pages.size > 0) {
    const query = new URLSearchParams(req.url.slice(path.length + 1))
    const [, user, type] = DATA_POINTS.exec(path)
    const token = query.get("pageToken")
    const body = user === "stream"
      ? streamPages[token === null ? 0 : Number(token.slice(1))]
      : pages.get(`${type}|${query.get("pageSize")}`)
    if (body === undefined) {
      res.writeHead(404, NOT_FOUND_HEADERS)
      res.end(NOT_FOUND_BODY)
      return
    }
    res.writeHead(200, headersFor(body, {}))
    res.end(body)
  } else {
    res.writeHead(404, NOT_FOUND_HEADERS)
    res.end(NOT_FOUND_BODY)
  }
})
server.maxRequestsPerSocket = 0
server.headersTimeout = 120_000
server.requestTimeout = 0

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address()
  if (process.send) process.send({ type: "listening", port })
  else console.log(`bench server on http://127.0.0.1:${port}`)
})

process.on("message", (message) => {
  if (message?.type === "cpu") {
    const usage = process.cpuUsage()
    process.send({ type: "cpu", id: message.id, micros: usage.user + usage.system })
  } else if (message?.type === "close") {
    server.closeAllConnections()
    server.close(() => process.exit(0))
  }
})
process.on("disconnect", () => process.exit(0))
