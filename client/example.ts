/**
 * A department pulls a year's tallies with the typed client (README, "Typed client"): every
 * field below is checked against the API's own document at compile time (`npm run lint`).
 */
import createClient from "openapi-fetch";
import type { paths } from "./schema";

const api = createClient<paths, "application/json">({
  baseUrl: process.env.SHUANGYI_URL ?? "http://localhost:8787",
  headers: { Authorization: `Bearer ${process.env.SHUANGYI_TOKEN}` },
});

const { data, error } = await api.GET("/api/v1/tallies", {
  params: { query: { region: "210103", from: "2025-01", to: "2025-12", groupBy: "month" } },
});
if (error) throw new Error(`${error.error.code}: ${error.error.message}`);
for (const row of data.rows)
  console.log(row.month, row.events, row.personTimes, row.volunteerHours);
