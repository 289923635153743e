import type { volunteerZh } from "./volunteer-zh";
import type { Translation } from "./zh";

/** English for ./volunteer-zh.ts: every key translated. */
export const volunteerEn: Translation<typeof volunteerZh> = {
  front: {
    title: "Volunteer sign-up",
    heading: "Shuangyi · Social workers + volunteers",
    motto: "Professional social work and volunteering are like a bird's two wings.",
    intro:
      "Social workers lead volunteers; volunteers assist social workers. Choose your community and sign up for volunteer events near you.",
    nearHeading: (name) => `Events near ${name}`,
    upcomingHeading: "Upcoming events",
    seeAll: "See all events",
    seeAllNear: (name) => `See all events near ${name}`,
    findTitle: "Lost your sign-up link?",
    findBody:
      "Get a code by SMS on the mobile you signed up with to find your sign-ups, view or cancel them.",
    staffTitle: "Staff",
    staffBody: "Community workers, social workers and social work departments sign in here.",
    staffLink: "Staff sign-in",
    apiDocs: "API documentation",
  },
  listing: {
    region: "Area",
    anyRegion: "Whole province",
    wholeCity: (name) => `${name} (whole city)`,
    near: "Near me: my community",
    nearAny: "Any",
    nearHint:
      "Choose a county and search; then pick your community to see the nearest events first.",
    words: "Search",
    wordsHint: "Event name, community or kind of service",
    submit: "Find events",
    whenLabel: "When",
    when: { all: "Any time", today: "Today", week: "This week", weekend: "Weekend" },
    count: (n) => `${n} ${n === 1 ? "event" : "events"}`,
    page: (n, total) => `Page ${n} of ${total}`,
    previous: "Previous",
    next: "Next",
    emptyFiltered: "No events match.",
    emptyFilteredHint: "Try another time or area, or",
    clear: "clear every filter",
    emptyAll: "No events are open for sign-up just now. Please come back in a few days.",
    distance: ["Your community", "Same street", "Same county", "Same city", "Same province"],
  },
  signupPage: {
    savedNotice:
      "Your private link was sent to your mobile by SMS. Bookmark this page or take a screenshot too: it is how you view or cancel your sign-up.",
    pageLink: "This page's address (your private link)",
    addToCalendar: "Add to calendar",
    calendarHint: "Downloads a calendar file (.ics) that phone calendars open.",
    lostLink: "Lost this link later? You can always find it again with your mobile number.",
    existingBody:
      "This mobile number is already signed up for this event. Get your private link again with a code by SMS.",
    sendCode: (masked) => `Send a code to ${masked}`,
  },
  find: {
    navLink: "Find my sign-up",
    title: "Find my sign-ups",
    intro:
      "Enter the mobile number you signed up with and we will send a 6-digit code. Once it is checked you see every sign-up of that number, each with a new private link.",
    mobile: "Mobile number",
    send: "Send code",
    codeTitle: "Enter the code",
    codeSent: (masked) =>
      `If ${masked} has sign-ups, a code was sent to it by SMS. It is valid for 10 minutes.`,
    code: "Code",
    codeHint: "The 6 digits in the SMS",
    verify: "Check",
    resend: "No SMS? Get a new code",
    errCode: "Enter the 6-digit code from the SMS",
    wrongCode: (left) => `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left`,
    tooManyAttempts: "Too many wrong codes. Please get a new code.",
    expired: "The code has expired. Please get a new one.",
    tooSoon: (seconds) => `Codes were requested too often. Try again in about ${seconds} seconds.`,
    listTitle: "My sign-ups",
    listIntro:
      "The sign-ups of this mobile number. Each has a new private link; earlier links (the SMS ones too) no longer work.",
    none: "This mobile number has no sign-ups to show.",
    open: "View or cancel",
    listExpired: "To protect your data this page has expired. Please get a new code.",
  },
  limits: {
    title: "Too many submissions",
    retryIn: (seconds) =>
      `Too many submissions just now. Please send it again in about ${seconds} seconds; what you typed is kept.`,
    backToEvent: "Back to the event",
  },
  publicErrors: {
    back: {
      event: "Back to the event",
      signup: "Back to my sign-up",
      find: "Back to finding my sign-ups",
      list: "Back to the events",
      home: "Back to the front page",
    },
    unavailableTitle: "Cannot connect just now",
    unavailableBody: "The service is busy. Please try again shortly.",
    maybeStored:
      "If you just sent a sign-up, it may have been saved: please do not send it again. You can check with “Find my sign-ups”.",
    findLink: "Find my sign-ups",
  },
  devMessages: {
    title: "Development: messages sent",
    intro:
      "Development only (ENVIRONMENT=development): every SMS the sender delivered, with the number masked, codes and private links included, newest first. Production has no such page.",
    none: "No messages yet. Sign up, find a sign-up or cancel one, then reload.",
    to: "To",
    kind: "Kind",
  },
};
