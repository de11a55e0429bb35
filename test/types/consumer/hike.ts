// A consumer of `commerce-openapi/hike`. Each @ts-expect-error marks a mistake the types must reject.
import {
  createHikeClient,
  type HikeListItem,
  type HikeSchema,
  type HikeTokens,
  hikeOAuth,
  type TokenStore,
} from "commerce-openapi/hike";
import { hubriseOAuth } from "commerce-openapi/hubrise";

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_proof?: T) => undefined;

export async function consumer(): Promise<void> {
  const hike = createHikeClient({
    accessToken: "a",
    refreshToken: "r",
    clientId: "MyApp-00a29c4789",
    clientSecret: "s",
    onTokens: async (tokens) => void tokens.accessToken,
  });

  const { data } = await hike.GET("/products/get_all", {
    params: { query: { page_size: 100, skip_count: 0 } },
  });
  const total: number | undefined = data?.totalCount;
  void total;
  for await (const product of hike.paginate("/products/get_all", {
    params: { query: { Filter: "TSHIRT" } },
  })) {
    assertType<Equals<typeof product, HikeListItem<"/products/get_all">>>();
    const name: string | null | undefined = product.name;
    void name;
  }
  for await (const sale of hike.paginate("/sales/get_all", {}, { pageSize: 500, concurrency: 2 })) {
    const net: number | undefined = sale.netAmount;
    void net;
  }
  const body: HikeSchema<"ProductWrite"> = {
    name: "T-shirt",
    bran_name: "Acme",
    seO_feature: false,
  };
  await hike.POST("/products/create", { body });

  // @ts-expect-error page_size is required on lists
  await hike.GET("/products/get_all", { params: { query: { skip_count: 0 } } });
  // @ts-expect-error paginate() sets page_size itself
  hike.paginate("/products/get_all", { params: { query: { page_size: 10 } } });
  // @ts-expect-error one product is not a list
  hike.paginate("/products/get/{id}");
  // @ts-expect-error no such endpoint is documented
  await hike.GET("/brands/get_all");

  // With throwOnError a call that returns has its data; without, it may not.
  const throwing = createHikeClient({ accessToken: "a" }, { throwOnError: true });
  const { data: product } = await throwing.GET("/products/get/{id}", {
    params: { path: { id: 7 } },
  });
  const id: number | undefined = product.id;
  void id;
  const returned = await hike.GET("/products/get/{id}", { params: { path: { id: 7 } } });
  // @ts-expect-error data may be undefined
  void returned.data.id;

  // OAuth: the helper, and a client with a token store that it refreshes.
  const oauth = hikeOAuth({ clientId: "MyApp-00a29c4789", clientSecret: "s" });
  const { state } = oauth.authorizeUrl({ redirectUri: "https://example.com/cb" });
  let saved: HikeTokens = await oauth.handleCallback("/cb?code=c&state=s", {
    expectedState: state,
    redirectUri: "https://example.com/cb",
  });
  saved = await oauth.refreshTokens(saved.refreshToken!);
  const expiresAt: number | undefined = saved.expiresAt;
  void expiresAt;
  const tokens: TokenStore<HikeTokens> = {
    get: () => saved,
    set: async (next) => {
      saved = next;
    },
  };
  createHikeClient({ tokens, oauth });
  createHikeClient({ accessToken: async () => saved.accessToken });
  // @ts-expect-error Hike documents no revocation
  void oauth.revoke;
  // @ts-expect-error the code exchange needs the authorize URL's redirect_uri
  await oauth.exchangeCode({ code: "c" });
  // @ts-expect-error HubRise's helper cannot refresh Hike's tokens
  createHikeClient({ tokens, oauth: hubriseOAuth({ clientId: "c", clientSecret: "s" }) });
  // @ts-expect-error the token endpoint is not an API path
  await hike.POST("/oauth/token", {});
}
