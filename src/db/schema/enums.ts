import { pgEnum } from "drizzle-orm/pg-core";
import {
  assignmentResponses,
  certificateLevels,
  eventStatuses,
  needStatuses,
  organisationKinds,
  outcomeStatuses,
  regionLevels,
  roles,
  serviceTypes,
  targetGroups,
} from "../../domain/vocabulary";

export const regionLevel = pgEnum("region_level", regionLevels);
export const serviceType = pgEnum("service_type", serviceTypes);
export const targetGroup = pgEnum("target_group", targetGroups);
export const certificateLevel = pgEnum("certificate_level", certificateLevels);
export const organisationKind = pgEnum("organisation_kind", organisationKinds);
export const role = pgEnum("role", roles);
export const needStatus = pgEnum("need_status", needStatuses);
export const eventStatus = pgEnum("event_status", eventStatuses);
export const assignmentResponse = pgEnum("assignment_response", assignmentResponses);
export const outcomeStatus = pgEnum("outcome_status", outcomeStatuses);
