// The OAuth server's two operations of the description (`POST /token`, `POST /revoke`). HubRise
// serves them on its OAuth host (`/oauth2/v1`), where the sandbox answers them through
// `createOAuthServer` (its `routes`); these handlers answer the same requests sent under the API's
// base path, for a client that takes its OAuth URL from the API's. They accept what HubRise
// documents beside Basic authentication: the client's id and secret in the body (the legacy form
// fields, or the JSON body of HubRise's Ruby SDK). An error answer keeps to the description: no
// body where it documents none (the token's 400 and 401), HubRise's error body elsewhere.
import type { SandboxResponse } from "../../../sandbox/server.js";
import { errorTypeOf } from "../errors.js";
import type { Ctx, Handler } from "./common.js";

function viaOAuthServer(path: "/token" | "/revoke"): Handler {
  return (ctx: Ctx) => {
    const oauth = ctx.state.oauth;
    const fields = (ctx.body ?? {}) as Record<string, unknown>;
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      if (key !== "client_id" && key !== "client_secret" && typeof value === "string")
        form.set(key, value);
    }
    const headers = { ...ctx.headers, "content-type": "application/x-www-form-urlencoded" };
    if (headers.authorization === undefined && typeof fields.client_id === "string") {
      const basic = Buffer.from(
        `${fields.client_id}:${String(fields.client_secret ?? "")}`,
      ).toString("base64");
      headers.authorization = `Basic ${basic}`;
    }
    const url = new URL(`${oauth.path}${path}`, ctx.url);
    const route = oauth.route({
      ...ctx,
      url,
      path: url.pathname,
      target: url.pathname,
      headers,
      rawBody: new TextEncoder().encode(form.toString()),
    });
    const answer: SandboxResponse = route ? route() : { status: 404 };
    if (answer.status < 400) return answer.body === undefined ? { status: answer.status } : answer;
    const documented = ctx.operation.responses[String(answer.status)];
    if (documented === undefined || Object.keys(documented.content).length === 0)
      return { status: answer.status };
    const error = (answer.body as { error?: string } | undefined)?.error;
    return {
      status: answer.status,
      body: { error_type: errorTypeOf(answer.status), ...(error ? { message: error } : {}) },
    };
  };
}

export const oauthHandlers: Record<string, Handler> = {
  exchangeAuthorizationCode: viaOAuthServer("/token"),
  revokeToken: viaOAuthServer("/revoke"),
};
