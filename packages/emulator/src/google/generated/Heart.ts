/**
 * Generated heart data in Google's shapes: `heart-rate` samples (every 5 minutes),
 * `daily-resting-heart-rate`, `heart-rate-variability` (hourly during sleep),
 * `daily-heart-rate-variability`, `daily-heart-rate-zones` (the Fitbit zones' bounds), an
 * `electrocardiogram` (a 30-second sinus-rhythm recording one day in five) and an
 * `irregular-rhythm-notification` (one day in fourteen).
 *
 * @since 0.1.0
 */
import * as DataGenerator from "../../DataGenerator.js"
import { atMinute, dailyPoint, interval, intervalPoint, samplePoint, TRACKER } from "./Builders.js"
import { type Day, type Generator, pointName } from "./Day.js"
import { civil, civilJson, offsetText, physical, rfc3339 } from "../Time.js"

/**
 * The heart generators by data type.
 *
 * @since 0.1.0
 * @category generators
 */
const ZONE: Record<string, string> = { "Out of Range": "OUT_OF_RANGE", "Fat Burn": "FAT_BURN", "Cardio": "CARDIO", "Peak": "PEAK" }
const DEVICE_INFO = { algorithmVersion: "2.1.0", deviceModel: "Sense 2", featureVersion: "1.4", firmwareVersion: "60.20001.194.76", serviceVersion: "3.2" }

/** A 30-second ECG at 250 Hz: a synthetic PQRST beat repeated at the day's resting rate. */
const electrocardiogram: Generator = (day) => {
  if (DataGenerator.dayNumber(day.date) % 5 !== 0) return []
  const bpm = DataGenerator.restingHeartRate(day.seed, day.user.userId, day.date) + 8
  const hz = 250
  const beat = Math.round(hz * 60 / bpm)
  const samples = Array.from({ length: 30 * hz }, (_, i) => {
    const t = (i % beat) / beat
    const r = Math.exp(-(((t - 0.3) / 0.012) ** 2)) * 1000
    const p = Math.exp(-(((t - 0.15) / 0.03) ** 2)) * 120
    const tw = Math.exp(-(((t - 0.55) / 0.06) ** 2)) * 250
    return Math.round(r + p + tw)
  })
  const start = atMinute(day, 9 * 60 + 30)
  const id = String(70_000_000_000 + (DataGenerator.hash(`${day.seed}|${day.user.userId}|${day.date}|ecg`) % 900_000_000))
  const point = intervalPoint("electrocardiogram", day.user, start, start + 30_000, "electrocardiogram", {
    resultClassification: "NORMAL_SINUS_RHYTHM",
    beatsPerMinuteAvg: String(bpm),
    leadNumber: 1,
    samplingFrequencyHertz: hz,
    millivoltsScalingFactor: 0.001,
    waveformSamples: samples,
    medicalDeviceInfo: DEVICE_INFO
  })
  return [{ ...point, id, json: { name: pointName(day, "electrocardiogram", id), ...point.json } }]
}

/** An irregular-rhythm notification during the night, with two alert windows of heartbeats. */
const irregularRhythm: Generator = (day: Day) => {
  if (DataGenerator.dayNumber(day.date) % 14 !== 0) return []
  const start = atMinute(day, 2 * 60)
  const end = start + 3 * 3_600_000
  const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "irn")
  const windowOf = (from: number) => {
    const to = from + 30 * 60_000
    return {
      ...interval(from, to, day.offset),
      positive: true,
      heartBeats: Array.from({ length: 5 }, (_, i) => {
        const at = from + i * 6 * 60_000
        return {
          beatsPerMinute: DataGenerator.between(next, 80, 130),
          physicalTime: rfc3339(at),
          utcOffset: offsetText(day.offset),
          civilTime: civilJson(civil(at, day.offset))
        }
      })
    }
  }
  const id = String(71_000_000_000 + (DataGenerator.hash(`${day.seed}|${day.user.userId}|${day.date}|irn`) % 900_000_000))
  const point = intervalPoint("irregular-rhythm-notification", day.user, start, end, "irregularRhythmNotification", {
    alertWindows: [windowOf(start), windowOf(start + 2 * 3_600_000)],
    medicalDeviceInfo: DEVICE_INFO
  }, TRACKER)
  return [{ ...point, id, json: { name: pointName(day, "irregular-rhythm-notification", id), ...point.json } }]
}

export const generators: Readonly<Record<string, Generator>> = {
  "daily-heart-rate-zones": (day) => [
    dailyPoint("daily-heart-rate-zones", day.user, day.date, "dailyHeartRateZones", {
      heartRateZones: DataGenerator.heartRateZones(day.seed, day.user.userId, day.date).map((z) => ({
        heartRateZoneType: ZONE[z.name],
        minBeatsPerMinute: String(z.min),
        maxBeatsPerMinute: String(z.max)
      }))
    })
  ],
  "electrocardiogram": electrocardiogram,
  "irregular-rhythm-notification": irregularRhythm,
  "heart-rate": (day) =>
    DataGenerator.heartRateSamples(day.seed, day.user.userId, day.date, 300).map(([second, bpm]) =>
      samplePoint("heart-rate", day.user, day.midnight + second * 1000, "heartRate", {
        beatsPerMinute: String(bpm),
        metadata: { motionContext: "ACTIVE", sensorLocation: "WRIST" }
      })
    ),
  "daily-resting-heart-rate": (day) => [
    dailyPoint("daily-resting-heart-rate", day.user, day.date, "dailyRestingHeartRate", {
      beatsPerMinute: String(DataGenerator.restingHeartRate(day.seed, day.user.userId, day.date)),
      dailyRestingHeartRateMetadata: { calculationMethod: "WITH_SLEEP" }
    })
  ],
  "daily-heart-rate-variability": (day) => {
    const h = DataGenerator.hrv(day.seed, day.user.userId, day.date)
    return [dailyPoint("daily-heart-rate-variability", day.user, day.date, "dailyHeartRateVariability", {
      averageHeartRateVariabilityMilliseconds: h.dailyRmssd,
      nonRemHeartRateBeatsPerMinute: String(DataGenerator.restingHeartRate(day.seed, day.user.userId, day.date) + 2),
      entropy: h.entropy,
      deepSleepRootMeanSquareOfSuccessiveDifferencesMilliseconds: h.deepRmssd
    })]
  },
  "heart-rate-variability": (day) => {
    const s = DataGenerator.sleep(day.seed, day.user.userId, day.date)
    const next = DataGenerator.rng(day.seed, day.user.userId, day.date, "hrv-samples")
    const start = physical(s.startTime, day.offset)
    return Array.from({ length: Math.floor(s.timeInBed / 60) }, (_, i) =>
      samplePoint("heart-rate-variability", day.user, start + i * 3_600_000, "heartRateVariability", {
        rootMeanSquareOfSuccessiveDifferencesMilliseconds: Math.round((20 + next() * 60) * 10) / 10,
        // googleapis 188: the power per frequency band, in ms².
        metadata: {
          highFrequencyPower: Math.round(200 + next() * 1800),
          lowFrequencyPower: Math.round(300 + next() * 2200)
        }
      }))
  }
}
