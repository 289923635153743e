/**
 * The one catalogue of published figures and their labels: the dashboard, the CSV and xlsx
 * downloads, the tallies, coverage and the pilot summary all name a figure from here, so the same
 * figure reads the same everywhere. Every figure counts events held: signed-off outcomes whose
 * event started in the period (Asia/Shanghai); a figure with another notion says so in its label.
 */
export const figureLabels = {
  events: { zh: "服务活动（场）", en: "Events held" },
  personTimes: { zh: "服务群众（人次）", en: "Person-times served" },
  uniqueVolunteers: { zh: "参与志愿者（人，去重）", en: "Volunteers (unique)" },
  volunteersAttended: { zh: "志愿者参与（人次）", en: "Volunteer attendances" },
  volunteerHours: { zh: "志愿服务时长（小时）", en: "Volunteer hours" },
  activeSocialWorkers: { zh: "带队社工（人）", en: "Social workers leading" },
  communitiesReached: { zh: "覆盖社区（个）", en: "Communities reached" },
  adjustedPersonTimes: {
    zh: "其中调整：服务群众（人次）",
    en: "Of which adjustments: person-times",
  },
  adjustedVolunteers: {
    zh: "其中调整：志愿者参与（人次）",
    en: "Of which adjustments: volunteer attendances",
  },
  adjustedHours: {
    zh: "其中调整：志愿服务时长（小时）",
    en: "Of which adjustments: volunteer hours",
  },
  /** Coverage's other notion: on the calendar, not (yet) held. */
  eventsNotYetHeld: { zh: "已安排、尚未签认的活动（场）", en: "Events scheduled, not yet held" },
  socialWorkersBased: { zh: "本地社工（人）", en: "Social workers based here" },
  volunteerTeams: { zh: "志愿服务队（支）", en: "Volunteer teams" },
  pilotCommunities: { zh: "试点社区（个）", en: "Pilot communities" },
  pilotCommunitiesWithEvents: {
    zh: "开展活动的试点社区（个）",
    en: "Pilot communities with events held",
  },
  universities: { zh: "高校（所）", en: "Universities" },
  agencies: { zh: "社会工作服务机构（家）", en: "Social work agencies" },
  volunteerOrgs: { zh: "专业志愿服务组织（个）", en: "Volunteer organisations" },
} as const satisfies Record<string, { zh: string; en: string }>;

export type Figure = keyof typeof figureLabels;

/** Labels of the dimensions and totals of a table (the same in every download). */
export const columnLabels = {
  month: { zh: "月份", en: "Month" },
  year: { zh: "年度", en: "Year" },
  serviceType: { zh: "服务类型", en: "Service type" },
  targetGroup: { zh: "服务对象", en: "Target group" },
  regionCode: { zh: "地区代码", en: "Region code" },
  region: { zh: "地区", en: "Region" },
  countyCode: { zh: "区县代码", en: "County code" },
  county: { zh: "区县", en: "County" },
  pilotCommunitiesWithout: {
    zh: "无已开展活动的试点社区",
    en: "Pilot communities without an event held",
  },
  gaps: { zh: "缺口", en: "Gaps" },
  figure: { zh: "指标", en: "Figure" },
  value: { zh: "数值", en: "Value" },
  total: { zh: "合计", en: "Total" },
} as const satisfies Record<string, { zh: string; en: string }>;
