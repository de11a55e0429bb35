// A consumer of `commerce-openapi/hiboutik` (resolved through package.json "exports" to dist/).
// Each @ts-expect-error marks a mistake the types must reject, above all Hiboutik's singular write
// paths next to its plural reads: if one stops being an error, the type test fails.
import {
  createHiboutikClient,
  type HiboutikListItem,
  type HiboutikSchema,
  type HiboutikTokens,
  hiboutikOAuth,
  type TokenStore,
} from "commerce-openapi/hiboutik";

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T) => undefined;

export async function consumer(): Promise<void> {
  const hiboutik = createHiboutikClient({
    account: "myshop",
    login: "me@example.com",
    apiKey: "k",
  });
  createHiboutikClient({ account: "myshop", accessToken: "t" });

  // Reads are plural and answer a one-element array; one() unwraps it.
  const { data } = await hiboutik.GET("/sales/{sale_id}", { params: { path: { sale_id: 44 } } });
  const first: HiboutikSchema<"Sale"> | undefined = data?.[0];
  void first;
  const sale = await hiboutik.one("/sales/{sale_id}", { params: { path: { sale_id: 44 } } });
  assertType<Equals<typeof sale, HiboutikSchema<"Sale">>>();
  const total: string = sale.total;
  void total;
  // date_z_mm is a string, or false on an open sale.
  const month: string | false | undefined = sale.date_z_mm;
  void month;

  // Writes to one record use the singular path, one attribute per call.
  await hiboutik.PUT("/product/{product_id}", {
    params: { path: { product_id: 23 } },
    body: { product_attribute: "product_price", new_value: "12.50" },
  });
  // @ts-expect-error there is no PUT on the plural read path
  await hiboutik.PUT("/products/{product_id}", { params: { path: { product_id: 23 } } });
  // @ts-expect-error there is no GET on the singular write path
  await hiboutik.GET("/product/{product_id}", { params: { path: { product_id: 23 } } });
  await hiboutik.PUT("/product/{product_id}", {
    params: { path: { product_id: 23 } },
    // @ts-expect-error an update names the attribute with product_attribute
    body: { product_price: "12.50" },
  });
  // @ts-expect-error ids are integers
  await hiboutik.GET("/sales/{sale_id}", { params: { path: { sale_id: "44" } } });

  // paginate() takes the paginated lists and yields their rows.
  for await (const customer of hiboutik.paginate("/customers/", {}, { concurrency: 8 })) {
    assertType<Equals<typeof customer, HiboutikListItem<"/customers/">>>();
    const customerId: number = customer.customers_id;
    void customerId;
  }
  // @ts-expect-error /stores is not paginated
  hiboutik.paginate("/stores");
  // @ts-expect-error one() only takes single-record reads
  await hiboutik.one("/customers/");
  // @ts-expect-error the OAuth token endpoint is not on the API host
  await hiboutik.POST("/token.php", {});

  // With throwOnError a call that returns has its data; without, it may not.
  const throwing = createHiboutikClient(
    { account: "myshop", accessToken: "t" },
    { throwOnError: true },
  );
  const { data: stores } = await throwing.GET("/stores");
  const count: number = stores.length;
  void count;
  const returned = await hiboutik.GET("/stores");
  // @ts-expect-error data may be undefined
  void returned.data.length;

  // OAuth: the helper, and a client with a token store that it refreshes.
  const oauth = hiboutikOAuth({ account: "myshop", clientId: "app", clientSecret: "s" });
  const { state } = oauth.authorizeUrl({ scope: ["read_products", "read_sales"] });
  let saved: HiboutikTokens = await oauth.handleCallback("/cb?code=c&state=s", {
    expectedState: state,
  });
  const expiresAt: number | undefined = saved.expiresAt;
  const tokenType: string = saved.response.token_type;
  void expiresAt;
  void tokenType;
  const tokens: TokenStore<HiboutikTokens> = {
    get: () => saved,
    set: (next) => {
      saved = next;
    },
  };
  createHiboutikClient({ account: "myshop", tokens, oauth, refreshMarginMs: 120_000 });
  createHiboutikClient({ account: "myshop", accessToken: () => saved.accessToken });
  // @ts-expect-error Hiboutik documents no revocation
  void oauth.revoke;
  // @ts-expect-error a token store needs the helper that refreshes it
  createHiboutikClient({ account: "myshop", tokens });
  // @ts-expect-error no redirect_uri: the app's is registered with Hiboutik
  oauth.authorizeUrl({ redirectUri: "https://app.example/cb" });
}
