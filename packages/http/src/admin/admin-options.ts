import type {
  KeyInput,
  KeyPatch,
  KeyRecord,
  SpendGroup,
  SpendQuery,
  TeamInput,
  TeamPatch,
  TeamRecord,
} from './admin-schemas.ts';

/** A key's secret as the store keeps it: its SHA-256 (hex) and first characters, never itself. */
export interface KeyHash {
  sha256: string;
  prefix: string;
}

/**
 * Where the admin API keeps keys and teams (`PostgresKeyStore` of `ai.matey.store.postgres`).
 * Every change must reach every replica's key cache.
 */
export interface AdminStore {
  createTeam(input: TeamInput): Promise<TeamRecord>;
  listTeams(): Promise<TeamRecord[]>;
  getTeam(id: string): Promise<TeamRecord | undefined>;
  updateTeam(id: string, patch: TeamPatch): Promise<TeamRecord | undefined>;
  /** Removes a team with no live keys; false when there is no such team. */
  deleteTeam(id: string): Promise<boolean>;
  /** Live (not revoked) keys of a team. */
  countLiveKeys(teamId: string): Promise<number>;
  createKey(input: KeyInput, hash: KeyHash): Promise<KeyRecord>;
  listKeys(filter: { teamId?: string }): Promise<KeyRecord[]>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  updateKey(id: string, patch: KeyPatch): Promise<KeyRecord | undefined>;
  /** Gives a key a new secret (the old one stops working); undefined when unknown or revoked. */
  rotateKey(id: string, hash: KeyHash): Promise<KeyRecord | undefined>;
  revokeKey(id: string): Promise<KeyRecord | undefined>;
  /** Requests, tokens and cost from the spend log, filtered and grouped as asked. */
  spend(query: SpendQuery): Promise<SpendGroup[]>;
}

/** The admin API's options (`GatewayOptions.admin`). */
export interface AdminOptions {
  /** The master key (`MATEY_ADMIN_KEY`); never a gateway key. */
  key: string;
  store: AdminStore;
}
