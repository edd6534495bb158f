// The fixed answers of the benchmark server and the values every contender checks it got back.

/** The access token every contender sends (the benchmark server does not check it). */
export const ACCESS_TOKEN = "bench-access-token-0123456789abcdef"

/** The OAuth client every contender is configured with (the loopback server checks none of it). */
export const CLIENT_ID = "BENCHCLIENT"
export const CLIENT_SECRET = "bench-client-secret"

/** googleapis' Health client against the loopback server, signed in with the bench token (loaded on call). */
export const googleapisHealth = async (baseUrl) => {
  const { google } = await import("googleapis")
  const auth = new google.auth.OAuth2(CLIENT_ID, CLIENT_SECRET)
  auth.setCredentials({ access_token: ACCESS_TOKEN, token_type: "Bearer" })
  return google.health({ version: "v4", rootUrl: `${baseUrl}/`, auth })
}

/** The Fitbit user id in the profile body; contenders verify they decoded it. */
export const FITBIT_USER_ID = "BENCH01"

/** The Google Health user name in the profile body. */
export const GOOGLE_PROFILE_NAME = "users/me/profile"

/** `GET /1/user/-/profile.json`: a Fitbit profile of realistic size (about 1.5 KB). */
export const fitbitProfile = {
  user: {
    age: 34,
    ambassador: false,
    autoStrideEnabled: true,
    avatar: "https://static0.fitbit.com/images/profile/defaultProfile_100.png",
    avatar150: "https://static0.fitbit.com/images/profile/defaultProfile_150.png",
    avatar640: "https://static0.fitbit.com/images/profile/defaultProfile_640.png",
    averageDailySteps: 8421,
    challengesBeta: true,
    clockTimeDisplayFormat: "24hour",
    corporate: false,
    corporateAdmin: false,
    dateOfBirth: "1992-03-14",
    displayName: "Bench U.",
    displayNameSetting: "name",
    distanceUnit: "METRIC",
    encodedId: FITBIT_USER_ID,
    features: { exerciseGoal: true },
    firstName: "Bench",
    foodsLocale: "en_GB",
    fullName: "Bench User",
    gender: "FEMALE",
    glucoseUnit: "METRIC",
    height: 168.5,
    heightUnit: "METRIC",
    isBugReportEnabled: false,
    isChild: false,
    isCoach: false,
    languageLocale: "en_GB",
    lastName: "User",
    legalTermsAcceptRequired: false,
    locale: "en_GB",
    memberSince: "2016-05-02",
    mfaEnabled: false,
    offsetFromUTCMillis: 3600000,
    sdkDeveloper: false,
    sleepTracking: "Normal",
    startDayOfWeek: "MONDAY",
    strideLengthRunning: 104.1,
    strideLengthRunningType: "default",
    strideLengthWalking: 69.8,
    strideLengthWalkingType: "default",
    swimUnit: "METRIC",
    temperatureUnit: "METRIC",
    timezone: "Europe/Berlin",
    topBadges: [
      {
        badgeGradientEndColor: "00D3D6",
        badgeGradientStartColor: "007273",
        badgeType: "DAILY_STEPS",
        category: "Daily Steps",
        dateTime: "2026-06-01",
        description: "20,000 steps in a day",
        name: "Sneakers (20,000 steps in a day)",
        timesAchieved: 12,
        value: 20000
      }
    ],
    waterUnit: "METRIC",
    waterUnitName: "ml",
    weight: 61.2,
    weightUnit: "METRIC"
  }
}

/** `GET /v4/users/me/profile`: a Google Health API v4 `Profile`. */
export const googleProfile = {
  name: GOOGLE_PROFILE_NAME,
  age: 34,
  membershipStartDate: { year: 2016, month: 5, day: 2 },
  autoRunningStrideLengthMm: 1041,
  autoWalkingStrideLengthMm: 698,
  userConfiguredRunningStrideLengthMm: 1050,
  userConfiguredWalkingStrideLengthMm: 700
}

/** The rate-limit headers sent with every data answer. */
export const rateLimitHeaders = {
  "Fitbit-Rate-Limit-Limit": "150",
  "Fitbit-Rate-Limit-Remaining": "149",
  "Fitbit-Rate-Limit-Reset": "1800"
}
