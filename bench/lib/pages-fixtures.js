// The large pages the page benchmark serves: `dataPoints.list` answers of heart rate and steps
// (100, 1,000 and 10,000 points) and sleep (25 sessions, Google's maximum), built from the
// emulator's generator so every point has the shape Google serves; and the 20 pages of 10,000
// heart-rate points that make the 200,000-point stream.
import { DataGenerator, Google } from "@fitbit-effect/emulator"

const USER = {
  userId: "BENCH01",
  displayName: "Bench U.",
  fullName: "Bench User",
  gender: "FEMALE",
  dateOfBirth: "1992-03-14",
  heightCm: 168,
  weightKg: 64,
  timezone: "Europe/Berlin",
  offsetFromUTCMillis: 3_600_000,
  memberSince: "2016-05-02",
  locale: "en_GB"
}

/** The data types and sizes of the page table. */
export const PAGES = [
  ["heart-rate", 100],
  ["heart-rate", 1000],
  ["heart-rate", 10000],
  ["steps", 100],
  ["steps", 1000],
  ["steps", 10000],
  ["sleep", 25]
]

/** Pages of the stream, and points per page. */
export const STREAM = { pages: 20, size: 10000 }

/** `n` points of a type, from consecutive days of the generator (newest first, as Google orders them). */
export const points = (dataType, n) => {
  const out = []
  for (let back = 1; out.length < n && back < 20000; back++) {
    const date = DataGenerator.addDays("2026-11-30", -back)
    for (const p of Google.GoogleData.pointsOn("bench", USER, dataType, date)) out.push(p.json)
  }
  if (out.length < n) throw new Error(`the generator made only ${out.length} ${dataType} points`)
  return out.slice(0, n)
}

/** A list answer's JSON text: the points, and a token when another page follows. */
export const pageText = (pointsJson, nextPageToken) =>
  `{"dataPoints":${pointsJson}${nextPageToken === undefined ? "" : `,"nextPageToken":"${nextPageToken}"`}}`
