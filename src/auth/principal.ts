import type { Role } from "../domain/vocabulary";

/** What a caller may see: everything, a region (by code prefix), one community, or themself. */
export type Scope =
  | { kind: "all" }
  | { kind: "region"; regionCode: string; prefix: string }
  | { kind: "community"; communityId: string; regionCode: string }
  | { kind: "social_worker"; socialWorkerId: string };

/** The authenticated caller of a request. */
export interface Principal {
  accountId: string;
  name: string;
  role: Role;
  scope: Scope;
  tokenId: string;
}
