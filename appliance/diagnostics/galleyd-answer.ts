/**
 * How a galleyd HTTP answer that carries no facts becomes a check line: no answer, a refused
 * token (with how to get one), an endpoint this galleyd does not have (404: "not available",
 * never a crash), or an error status.
 */
import type { HttpAnswer } from "./probe.ts";
import type { Check } from "./check.ts";

export const NOT_AUTHORISED_HINT =
  "run galley doctor as root on the board (it reads galleyd's local token from <dataDir>/run/doctor.token)";

export function notAnswered(id: string, title: string, answer: HttpAnswer, what: string): Check | undefined {
  if (answer.status === 0)
    return {
      id,
      title,
      verdict: "unavailable",
      summary: `galleyd did not answer (${answer.error ?? "no answer"})`,
      hint: "see the galleyd service line above",
    };
  if (answer.status === 401 || answer.status === 403)
    return {
      id,
      title,
      verdict: "unavailable",
      summary: `galleyd refused to show ${what} (HTTP ${answer.status})`,
      hint: NOT_AUTHORISED_HINT,
    };
  if (answer.status === 404)
    return {
      id,
      title,
      verdict: "unavailable",
      summary: `not available: this galleyd has no ${what} endpoint`,
      hint: "update the app release (galley-release status); the check appears with it",
    };
  if (answer.status >= 400)
    return {
      id,
      title,
      verdict: "fail",
      summary: `galleyd answered HTTP ${answer.status} for ${what}`,
      hint: "journalctl -u galleyd -n 50",
    };
  return undefined;
}
