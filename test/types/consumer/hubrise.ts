// A consumer of the published package (`commerce-openapi/hubrise`, resolved through package.json
// "exports" to dist/). Each @ts-expect-error marks a mistake the types must reject: if one stops
// being an error, tsc reports the unused directive and the test fails.
import {
  createHubriseClient,
  type HubriseListItem,
  type HubriseSchema,
  type HubriseTokens,
  hubriseOAuth,
} from "commerce-openapi/hubrise";

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T) => undefined;

export async function consumer(): Promise<void> {
  const hubrise = createHubriseClient({ accessToken: "token" });

  // Correct calls compile.
  const { data } = await hubrise.GET("/locations/{location_id}/orders/{order_id}", {
    params: { path: { location_id: "3r4s3-1", order_id: "5dpm9" } },
  });
  const total: string | undefined = data?.total;
  void total;
  await hubrise.POST("/location/orders", { body: { status: "new" } });

  // The item type of paginate() is the Order schema.
  for await (const order of hubrise.paginate("/location/orders", {
    params: { query: { status: "new" } },
  })) {
    assertType<Equals<typeof order, HubriseListItem<"/location/orders">>>();
    const status: HubriseSchema<"OrderStatus"> = order.status;
    void status;
  }
  assertType<Equals<HubriseListItem<"/locations/{location_id}/orders">, HubriseSchema<"Order">>>();
  assertType<
    Equals<HubriseListItem<"/catalogs/{catalog_id}/products">, HubriseSchema<"CatalogProduct">>
  >();

  // @ts-expect-error a path HubRise does not have
  await hubrise.GET("/location/invoices");
  // @ts-expect-error a required path parameter is missing
  await hubrise.GET("/locations/{location_id}/orders", { params: { path: {} } });
  // @ts-expect-error a path parameter of the wrong type
  await hubrise.GET("/locations/{location_id}", { params: { path: { location_id: 42 } } });
  // @ts-expect-error count is a number, not a string
  await hubrise.GET("/location/orders", { params: { query: { count: "100" } } });
  // @ts-expect-error an order status outside the enum
  await hubrise.POST("/location/orders", { body: { status: "shipped" } });
  await hubrise.POST("/location/orders", {
    body: {
      status: "new",
      // @ts-expect-error money is a string ("8.90 EUR"), never a number
      items: [{ product_name: "Pizza", price: 8.9, quantity: "1" }],
    },
  });
  // @ts-expect-error the body of a create is required
  await hubrise.POST("/location/orders", {});
  // @ts-expect-error paginate() only takes index endpoints
  hubrise.paginate("/location");
  // @ts-expect-error the OAuth token endpoint lives on another host
  await hubrise.POST("/token", { body: { code: "x" } });
  // @ts-expect-error the method is not defined for this path
  await hubrise.DELETE("/location/orders");

  // Without throwOnError a call may come back with `error` instead of `data`…
  const returned = await hubrise.GET("/location");
  // @ts-expect-error data may be undefined
  const noName: string = returned.data.name;
  void noName;
  // …with it, a call that returns has its data.
  const throwing = createHubriseClient({ accessToken: "token" }, { throwOnError: true });
  const { data: location, error } = await throwing.GET("/location");
  const name: string = location.name;
  assertType<Equals<typeof error, undefined>>();
  void name;

  // The earlier one-argument form still works (deprecated), and options are not credentials.
  createHubriseClient({ accessToken: "token", baseUrl: "http://127.0.0.1:4010" });
  // @ts-expect-error the token is a credential, not an option
  createHubriseClient({ accessToken: "token" }, { accessToken: "other" });

  // OAuth: authorize URL, callback, revocation; the token never expires and is never refreshed.
  const oauth = hubriseOAuth({ clientId: "459691768564.clients.hubrise.com", clientSecret: "s" });
  const { url, state } = oauth.authorizeUrl({
    redirectUri: "https://app.example/cb",
    scope: "location[orders.read]",
  });
  void url;
  const tokens: HubriseTokens = await oauth.handleCallback("/cb?code=c&state=s", {
    expectedState: state,
  });
  const locationId: string | undefined = tokens.response.location_id;
  void locationId;
  assertType<Equals<typeof tokens.expiresAt, undefined>>();
  await oauth.revoke(tokens.accessToken);
  createHubriseClient({ accessToken: async () => tokens.accessToken });
  // @ts-expect-error HubRise has no refresh token, so no refresh
  void oauth.refreshTokens;
  // @ts-expect-error the scope is required
  oauth.authorizeUrl({ redirectUri: "https://app.example/cb" });
  // @ts-expect-error a token function gives a string
  createHubriseClient({ accessToken: async () => 42 });
}
