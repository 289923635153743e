import { type ServiceType, serviceTypes, type TargetGroup } from "../domain/vocabulary";

/** Who raises a request (问需): the people the pilot serves, in their own words. */
export const askerKinds = [
  "resident",
  "family_elderly",
  "family_child",
  "delivery_rider",
  "courier",
  "ride_hailing_driver",
  "truck_driver",
  "other",
] as const;
export type AskerKind = (typeof askerKinds)[number];

export const askerKindLabels: Record<AskerKind, { zh: string; en: string }> = {
  resident: { zh: "社区居民", en: "Resident" },
  family_elderly: { zh: "老年人家属", en: "Family of an older person" },
  family_child: { zh: "儿童家长", en: "Parent of a child" },
  delivery_rider: { zh: "外卖骑手", en: "Delivery rider" },
  courier: { zh: "快递员", en: "Courier" },
  ride_hailing_driver: { zh: "网约车司机", en: "Ride-hailing driver" },
  truck_driver: { zh: "货车司机", en: "Truck driver" },
  other: { zh: "其他", en: "Other" },
};

/** What a request is about: one of the service types, or a suggestion (意见建议). */
export const requestKinds = [...serviceTypes, "suggestion"] as const;
export type RequestKind = ServiceType | "suggestion";

export const suggestionLabel = { zh: "意见建议", en: "Suggestion" };

/** 爱心驿站 / 司机之家: places of a community where riders and drivers rest and ask. */
export const stationKinds = ["love_station", "drivers_home", "other"] as const;
export type StationKind = (typeof stationKinds)[number];

export const stationKindLabels: Record<StationKind, { zh: string; en: string }> = {
  love_station: { zh: "爱心驿站", en: "Care station" },
  drivers_home: { zh: "司机之家", en: "Drivers' home" },
  other: { zh: "服务点", en: "Service point" },
};

/**
 * received: at a desk, waiting for its first answer (forwarding and escalation keep it so);
 * accepted: turned into a service need, resolved when the need's event outcome is signed off;
 * resolved: that outcome was signed off; answered: closed with a reply.
 */
export const requestStatuses = ["received", "accepted", "resolved", "answered"] as const;
export type RequestStatus = (typeof requestStatuses)[number];

/** The steps the requester sees on the private progress page. */
export const requestStepKinds = [
  "received",
  "forwarded",
  "escalated",
  "accepted",
  "answered",
  "resolved",
  "rated",
] as const;
export type RequestStepKind = (typeof requestStepKinds)[number];

/** Who an outbox message of a request is for. */
export const requestAudiences = ["requester", "desk", "department"] as const;
export type RequestAudience = (typeof requestAudiences)[number];

export const requestMessageKinds = [
  "received",
  "forwarded",
  "accepted",
  "answered",
  "resolved",
  "reminder",
  "escalated",
  "overdue",
] as const;
export type RequestMessageKind = (typeof requestMessageKinds)[number];

/** The target group (服务对象) a request's asker stands for, to prefill the need it becomes. */
export const askerTargetGroup: Record<AskerKind, TargetGroup> = {
  resident: "residents",
  family_elderly: "elderly",
  family_child: "children",
  delivery_rider: "delivery_rider",
  courier: "courier",
  ride_hailing_driver: "ride_hailing_driver",
  truck_driver: "truck_driver",
  other: "residents",
};

/**
 * The figures of 研判, labelled once: the dashboard, the API's downloads and the CSV / xlsx all
 * read these (the pages through their i18n, which points here).
 */
export const requestFigureLabels = {
  received: { zh: "收到", en: "Received" },
  accepted: { zh: "已受理", en: "Accepted" },
  turnedIntoNeeds: { zh: "转为服务需求", en: "Turned into needs" },
  resolved: { zh: "已办结", en: "Resolved" },
  resolvedWithinLimit: { zh: "限时办结", en: "Resolved within limit" },
  overdue: { zh: "超时", en: "Overdue" },
  medianHoursToFirstAnswer: { zh: "首次答复（中位小时）", en: "First answer (median hours)" },
  medianHoursToResolution: { zh: "办结（中位小时）", en: "Resolution (median hours)" },
  averageRating: { zh: "平均满意度", en: "Average rating" },
  ratings: { zh: "评价数", en: "Ratings" },
} as const satisfies Record<string, { zh: string; en: string }>;

/** The first column of a figures table, by what it is split by. */
export const requestDimensionLabels = {
  month: { zh: "月份", en: "Month" },
  kind: { zh: "需求类别", en: "Kind" },
  askerKind: { zh: "提出人", en: "Who asked" },
  region: { zh: "地区", en: "Region" },
  regionCode: { zh: "区划代码", en: "Region code" },
  total: { zh: "合计", en: "Total" },
  /** In place of the split by asker when small counts withhold it (figures.ts). */
  withheld: {
    zh: "按提出人分列：县级以下不公开（小数保护），请看全县数字",
    en: "By who asked: not shown below the county (small counts); see the county's figures",
  },
} as const;
