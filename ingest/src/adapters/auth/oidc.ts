// OpenID Connect single sign-on with `openid-client`: authorization code flow with PKCE
// (S256), state and nonce, against the issuer's discovered metadata. What the identity
// provider says about a person becomes Floorwatch grants through the claim mapping in
// FLOORWATCH_OIDC_ROLES (a claim value -> grants per site, per team for team leads); no
// mapped role, no session. The flow's secrets wait here, server-side, for 10 minutes,
// under a random id the browser holds in a short-lived cookie.
import * as client from 'openid-client';
import type { Grant } from '../../core/access/index.js';
import type { AppConfig } from '../../config.js';
import { parseGrants } from './grants.js';
import { IdentityError } from './identity.js';
import { newSecret } from './secrets.js';

export type OidcConfig = NonNullable<AppConfig['auth']['oidc']>;

export interface OidcMapping {
  /** The claim whose values are mapped (e.g. "groups"); a string or a list of strings. */
  claim: string;
  /** The claim that names the Floorwatch user (default preferred_username, then email, then sub). */
  userClaim: string;
  map: ReadonlyMap<string, Grant[]>;
}

/** Checks FLOORWATCH_OIDC_ROLES: {"claim":"groups","user_claim"?:"…","map":{"value":[grants]}}. */
export function parseOidcMapping(raw: unknown): OidcMapping {
  const o = raw as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || typeof o['claim'] !== 'string' || !o['claim'])
    throw new Error('must be {"claim": "<claim name>", "map": {"<claim value>": [grants]}}');
  const m = o['map'];
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    throw new Error('"map" must be an object: claim value -> list of {site, role, teams?}');
  const map = new Map<string, Grant[]>();
  for (const [value, grants] of Object.entries(m)) {
    try {
      map.set(value, parseGrants(grants));
    } catch (e) {
      throw new Error(`map["${value}"]: ${(e as Error).message}`, { cause: e });
    }
  }
  const userClaim = typeof o['user_claim'] === 'string' ? o['user_claim'] : 'preferred_username';
  return { claim: o['claim'], userClaim, map };
}

/** The grants the mapping gives these claims (every matching value, duplicates dropped). */
export function grantsFromClaims(mapping: OidcMapping, claims: Record<string, unknown>): Grant[] {
  const v = claims[mapping.claim];
  const values = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  const out: Grant[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    for (const g of mapping.map.get(String(value)) ?? []) {
      const key = JSON.stringify(g);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(g);
    }
  }
  return out;
}

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
  expires: number;
}

const PENDING_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

export class OidcLogin {
  readonly mapping: OidcMapping;
  private discovered: Promise<client.Configuration> | null = null;
  private readonly pending = new Map<string, Pending>();

  constructor(
    readonly cfg: OidcConfig,
    private readonly now: () => number,
  ) {
    this.mapping = parseOidcMapping(cfg.roles);
  }

  /** The issuer's metadata, fetched on first use (the server starts while the IdP is down). */
  private config(): Promise<client.Configuration> {
    if (!this.discovered) {
      this.discovered = client
        .discovery(
          new URL(this.cfg.issuer),
          this.cfg.clientId,
          { redirect_uris: [this.cfg.redirectUrl], response_types: ['code'] },
          client.ClientSecretPost(this.cfg.clientSecret),
          this.cfg.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((e: unknown) => {
          this.discovered = null;
          throw e;
        });
    }
    return this.discovered;
  }

  /** Where to send the browser, and the id its cookie must bring back to the callback. */
  async start(returnTo: string): Promise<{ location: string; flowId: string }> {
    const config = await this.config();
    const now = this.now();
    for (const [id, p] of this.pending) if (p.expires < now) this.pending.delete(id);
    if (this.pending.size >= MAX_PENDING)
      throw new IdentityError(429, 'too many single sign-ins under way; try again in a minute');
    const verifier = client.randomPKCECodeVerifier();
    const p: Pending = {
      verifier,
      state: client.randomState(),
      nonce: client.randomNonce(),
      returnTo,
      expires: now + PENDING_MS,
    };
    const flowId = newSecret('');
    this.pending.set(flowId, p);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.cfg.redirectUrl,
      scope: this.cfg.scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: p.state,
      nonce: p.nonce,
    });
    return { location: url.href, flowId };
  }

  /** Trades the callback's code for verified ID token claims; the flow can be used once. */
  async finish(
    query: URLSearchParams,
    flowId: string,
  ): Promise<{ claims: Record<string, unknown>; returnTo: string }> {
    const p = this.pending.get(flowId);
    this.pending.delete(flowId);
    if (!p || p.expires < this.now())
      throw new IdentityError(
        400,
        'this sign-in was not started here or took longer than 10 minutes; start it again',
      );
    const error = query.get('error');
    if (error)
      throw new IdentityError(
        403,
        `the identity provider refused the sign-in: ${error} ${query.get('error_description') ?? ''}`.trim(),
      );
    const config = await this.config();
    const current = new URL(this.cfg.redirectUrl);
    current.search = query.toString();
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: p.verifier,
      expectedState: p.state,
      expectedNonce: p.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new IdentityError(502, 'the identity provider sent no ID token');
    // Many providers put scope claims (groups, email) only in the UserInfo answer; it is
    // checked to be about the same subject, and the ID token's own claims win.
    let info: Record<string, unknown> = {};
    if (config.serverMetadata().userinfo_endpoint)
      info = (await client.fetchUserInfo(config, tokens.access_token, idClaims.sub)) as Record<
        string,
        unknown
      >;
    return { claims: { ...info, ...idClaims }, returnTo: p.returnTo };
  }
}
