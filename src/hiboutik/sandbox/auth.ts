// Who may call the sandbox's API, as Hiboutik lets them: a user with HTTP Basic (login email : API
// key), an app with `Authorization: Bearer <token>` (the fixed token of the options, or one the
// sandbox's OAuth server issued and that is still valid). Missing or wrong credentials: 401 with
// `code: 1` (what apps refresh their token on); the message never repeats what was sent. A request
// whose Accept excludes JSON: 406 (the API only sends JSON). The token endpoint checks the app's own
// credentials itself.
import type { OperationSpec } from "../../sandbox/description.js";
import type { IncomingRequest, SandboxResponse } from "../../sandbox/server.js";
import { errorResponse } from "./errors.js";
import type { HiboutikPrincipal } from "./handlers/common.js";
import type { HiboutikState } from "./records.js";

export interface AcceptedCredentials {
  login: string;
  apiKey: string;
  accessToken: string;
}

/** Whether an Accept header allows JSON (absent, `*\/*`, `application/*`, `application/json`). */
function acceptsJson(accept: string | string[] | undefined): boolean {
  if (accept === undefined) return true;
  const ranges = (Array.isArray(accept) ? accept.join(",") : accept).split(",");
  return ranges.some((range) => {
    const [type, ...params] = range.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === "*/*" || type === "application/*" || type === "application/json" || type === "";
  });
}

export function authenticator(credentials: AcceptedCredentials, state: () => HiboutikState) {
  return (
    request: IncomingRequest,
    operation: OperationSpec,
  ): HiboutikPrincipal | SandboxResponse => {
    if (operation.operationId === "createOAuthToken") return { kind: "oauth-client" };
    const authorization = String(request.headers.authorization ?? "");
    let principal: HiboutikPrincipal | undefined;
    if (/^basic /i.test(authorization)) {
      const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const login = decoded.slice(0, colon);
      if (
        colon > 0 &&
        login === credentials.login &&
        decoded.slice(colon + 1) === credentials.apiKey
      ) {
        principal = { kind: "basic", login };
      } else {
        return errorResponse(401, "API access is not granted: wrong login or API key");
      }
    } else if (/^bearer /i.test(authorization)) {
      const token = authorization.slice(7).trim();
      if (
        token !== "" &&
        (token === credentials.accessToken || state().oauth.accessTokenValid(token))
      ) {
        principal = { kind: "token" };
      } else {
        return errorResponse(401, "The access token is not valid", { error: "invalid_token" });
      }
    } else {
      return errorResponse(
        401,
        "API access is not granted: send HTTP Basic (login email and API key) or an OAuth Bearer token",
      );
    }
    if (!acceptsJson(request.headers.accept)) {
      return errorResponse(406, "Not Acceptable: the API only sends application/json");
    }
    return principal;
  };
}
