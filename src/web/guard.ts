import { createMiddleware } from "hono/factory";
import { principalOfSession } from "../auth/sessions";
import type { Role } from "../domain/vocabulary";
import type { WebEnv } from "./env";
import { forbiddenPage } from "./errors";
import { dropSessionCookie, hasSessionCookie, sessionIdOf } from "./session";

/** The roles the coordinator pages are for. */
const STAFF_ROLES: Role[] = ["coordinator", "admin"];

/** Where to come back to after signing in: only a page of this site's /staff. */
export function safeNext(next: string | undefined): string {
  return next && /^\/staff(\/[\w\-/]*)?(\?[\w\-=&%.]*)?$/.test(next) ? next : "/staff";
}

/**
 * Resolves the session cookie to the API's Principal (`c.var.principal`). No, bad or expired
 * cookie: 303 to the sign-in page (coming back here after a GET). A role not in `roles`: a 403 page.
 */
export const requireStaffRoles = (roles: Role[]) =>
  createMiddleware<WebEnv>(async (c, next) => {
    const sessionId = await sessionIdOf(c);
    const principal = sessionId ? await principalOfSession(c.var.db, sessionId) : undefined;
    if (!principal) {
      const query = new URLSearchParams();
      if (hasSessionCookie(c)) {
        dropSessionCookie(c);
        query.set("expired", "1");
      }
      const back = c.req.method === "GET" ? safeNext(c.req.path + new URL(c.req.url).search) : "";
      if (back && back !== "/staff") query.set("next", back);
      const search = query.size > 0 ? `?${query}` : "";
      return c.redirect(`/staff/login${search}`, 303);
    }
    c.set("principal", principal);
    if (!roles.includes(principal.role)) return forbiddenPage(c);
    await next();
  });

/** The coordinator pages: coordinators and admins. */
export const requireStaff = requireStaffRoles(STAFF_ROLES);

/** The check-in page: also the lead social worker (their scope shows only events they lead). */
export const requireEventStaff = requireStaffRoles([...STAFF_ROLES, "social_worker"]);
