import * as v from "valibot";
import {
  certificateLevels,
  organisationKinds,
  regionLevels,
  serviceTypes,
} from "../domain/vocabulary";
import { oneLine } from "./text";

/** Shared valibot building blocks for request and response schemas. */
export const Uuid = v.pipe(v.string(), v.uuid("must be a UUID"));
export const IdParam = v.object({ id: Uuid });

export const RegionCode = v.pipe(
  v.string(),
  v.regex(/^(\d{6}|\d{9}|\d{12})$/, "must be a 6-, 9- or 12-digit region code"),
);
export const CountyCode = v.pipe(
  v.string(),
  v.regex(/^\d{4}(0[1-9]|[1-9]\d)$/, "must be a 6-digit county code (not a city or province)"),
);
export const CommunityCode = v.pipe(
  v.string(),
  v.regex(/^\d{12}$/, "must be a 12-digit community code"),
);

/** A name people type: trimmed, not empty, bounded, then on one line (see oneLine). */
export const Name = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, "must not be empty"),
  v.maxLength(100, "must be at most 100 characters"),
  v.transform(oneLine),
);
export const OptionalText = (max: number) =>
  v.optional(
    v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`))),
  );

export const ServiceType = v.picklist(serviceTypes, `must be one of: ${serviceTypes.join(", ")}`);
export const Skills = v.pipe(
  v.array(ServiceType),
  v.maxLength(serviceTypes.length),
  v.check((skills) => new Set(skills).size === skills.length, "must not repeat a skill"),
);
export const CertificateLevel = v.picklist(
  certificateLevels,
  `must be one of: ${certificateLevels.join(", ")}`,
);
export const OrganisationKind = v.picklist(
  organisationKinds,
  `must be one of: ${organisationKinds.join(", ")}`,
);
export const RegionLevel = v.picklist(regionLevels);

/** `?active=true|false` */
export const BooleanQuery = v.optional(
  v.pipe(
    v.picklist(["true", "false"]),
    v.transform((s) => s === "true"),
  ),
);

/** An instant with an explicit offset (`2026-03-05T10:00:00+08:00` or `…Z`), as a Date. */
export const Instant = v.pipe(
  v.string(),
  v.regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/,
    "must be an ISO 8601 date-time with an offset, e.g. 2026-03-05T10:00:00+08:00",
  ),
  v.transform((text) => new Date(text)),
  v.check((date) => !Number.isNaN(date.getTime()), "is not a real date"),
  v.check(
    (date) => date.getUTCFullYear() >= 2020 && date.getUTCFullYear() <= 2100,
    "must be between 2020 and 2100",
  ),
);

/** `?from=&to=` for lists: things overlapping the period. */
export const PeriodQuery = {
  from: v.optional(Instant),
  to: v.optional(Instant),
};

/** A reason people give for a change (kept in the audit log). */
export const Reason = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, "say why"),
  v.maxLength(500, "must be at most 500 characters"),
);
