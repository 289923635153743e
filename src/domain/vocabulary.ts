/**
 * The product's closed vocabularies (SPEC "Vocabulary"), with their Chinese and English labels.
 * Database enums, valibot schemas and page labels are all derived from these lists.
 */

export const serviceTypes = [
  "lecture",
  "neighbourhood_watch",
  "mediation",
  "first_aid",
  "counselling",
  "legal_aid",
  "elderly_care",
  "child_care",
  "emergency",
  "recreation",
] as const;
export type ServiceType = (typeof serviceTypes)[number];

export const serviceTypeLabels: Record<ServiceType, { zh: string; en: string }> = {
  lecture: { zh: "理论宣讲", en: "Policy lectures" },
  neighbourhood_watch: { zh: "邻里守望", en: "Neighbourhood watch" },
  mediation: { zh: "信访矛盾化解", en: "Dispute mediation" },
  first_aid: { zh: "卫生救护", en: "First aid" },
  counselling: { zh: "心理疏导", en: "Counselling" },
  legal_aid: { zh: "法律援助", en: "Legal aid" },
  elderly_care: { zh: "养老照护", en: "Elderly care" },
  child_care: { zh: "儿童关爱", en: "Child care" },
  emergency: { zh: "应急救援", en: "Emergency rescue" },
  recreation: { zh: "文体活动", en: "Recreation" },
};

export const targetGroups = [
  "elderly",
  "children",
  "delivery_rider",
  "courier",
  "ride_hailing_driver",
  "truck_driver",
  "disabled",
  "residents",
] as const;
export type TargetGroup = (typeof targetGroups)[number];

export const targetGroupLabels: Record<TargetGroup, { zh: string; en: string }> = {
  elderly: { zh: "老年人", en: "Older people" },
  children: { zh: "儿童", en: "Children" },
  delivery_rider: { zh: "外卖骑手", en: "Delivery riders" },
  courier: { zh: "快递员", en: "Couriers" },
  ride_hailing_driver: { zh: "网约车司机", en: "Ride-hailing drivers" },
  truck_driver: { zh: "货车司机", en: "Truck drivers" },
  disabled: { zh: "残疾人", en: "People with disabilities" },
  residents: { zh: "社区居民", en: "Community residents" },
};

/** Certificate levels, in ascending order: a need for `intermediate` accepts `senior`. */
export const certificateLevels = ["junior", "intermediate", "senior"] as const;
export type CertificateLevel = (typeof certificateLevels)[number];

export const certificateLevelLabels: Record<CertificateLevel, { zh: string; en: string }> = {
  junior: { zh: "助理社会工作师", en: "Assistant social worker" },
  intermediate: { zh: "社会工作师", en: "Social worker" },
  senior: { zh: "高级社会工作师", en: "Senior social worker" },
};

/** True when `held` meets or exceeds `required`. */
export function meetsCertificateLevel(held: CertificateLevel, required: CertificateLevel): boolean {
  return certificateLevels.indexOf(held) >= certificateLevels.indexOf(required);
}

export const organisationKinds = ["university", "agency", "volunteer_org"] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export const organisationKindLabels: Record<OrganisationKind, { zh: string; en: string }> = {
  university: { zh: "高校", en: "University" },
  agency: { zh: "社会工作服务机构", en: "Social work agency" },
  volunteer_org: { zh: "专业志愿服务组织", en: "Professional volunteer organisation" },
};

export const roles = ["admin", "department", "coordinator", "social_worker"] as const;
export type Role = (typeof roles)[number];

export const regionLevels = ["province", "city", "county", "street", "community"] as const;
export type RegionLevel = (typeof regionLevels)[number];

/** Life of a service need: open → matched → scheduled → closed, or withdrawn. */
export const needStatuses = ["open", "matched", "scheduled", "closed", "withdrawn"] as const;
export type NeedStatus = (typeof needStatuses)[number];

export const eventStatuses = ["scheduled", "completed", "cancelled"] as const;
export type EventStatus = (typeof eventStatuses)[number];

/** The lead social worker's answer to an assignment. */
export const assignmentResponses = ["pending", "accepted", "declined"] as const;
export type AssignmentResponse = (typeof assignmentResponses)[number];

/** An outcome is recorded by the coordinator or lead, then signed off by the lead social worker. */
export const outcomeStatuses = ["recorded", "signed_off"] as const;
export type OutcomeStatus = (typeof outcomeStatuses)[number];

export const outcomeStatusLabels: Record<OutcomeStatus, { zh: string; en: string }> = {
  recorded: { zh: "待签认", en: "Awaiting sign-off" },
  signed_off: { zh: "已签认", en: "Signed off" },
};

/** Typed notes on an outcome: the countable things the reports mention besides people served. */
export const outcomeNoteKinds = [
  "disputes_mediated",
  "first_aid_trained",
  "home_visits",
  "referrals",
  "other",
] as const;
export type OutcomeNoteKind = (typeof outcomeNoteKinds)[number];

export const outcomeNoteKindLabels: Record<OutcomeNoteKind, { zh: string; en: string }> = {
  disputes_mediated: { zh: "化解矛盾纠纷（件）", en: "Disputes mediated" },
  first_aid_trained: { zh: "救护培训（人）", en: "People trained in first aid" },
  home_visits: { zh: "入户走访（户）", en: "Home visits" },
  referrals: { zh: "转介服务（人）", en: "Referrals" },
  other: { zh: "其他", en: "Other" },
};

/**
 * Target groups whose small counts are suppressed in sub-county exports, so that no individual
 * older person, child or person with disabilities can be singled out.
 */
export const sensitiveTargetGroups: readonly TargetGroup[] = ["elderly", "children", "disabled"];
