/** The network a provider realises, as plain values: a provider never sees API objects. */
export interface ProviderNetwork {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Canonical CIDR blocks. */
  readonly ipv4Blocks: readonly string[];
  readonly ipv6Blocks: readonly string[];
  readonly mtu?: number;
}

/** The NetworkContext that asks for it, with this provider's section of spec.providerConfig. */
export interface ProviderContext {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Something the provider created, as reported in NetworkContext status.resources. */
export interface ProviderResource {
  readonly kind: string;
  readonly name: string;
  readonly id?: string;
}

/** An expected outcome; a provider throws only for the unexpected, and the controller retries both. */
export type ProviderResult =
  | { readonly ok: true; readonly message: string; readonly resources: readonly ProviderResource[] }
  | { readonly ok: false; readonly message: string };

/**
 * A dataplane that realises networks. Both calls are idempotent and level-based: ensureNetwork makes the
 * provider's resources match the network however often it is called; deleteNetwork removes whatever the
 * context created and succeeds when nothing is left.
 */
export interface Provider {
  /** The key under NetworkContext spec.providerConfig that selects this provider, e.g. linux. */
  readonly name: string;
  ensureNetwork(
    context: ProviderContext,
    network: ProviderNetwork,
    signal?: AbortSignal,
  ): Promise<ProviderResult>;
  deleteNetwork(context: ProviderContext, signal?: AbortSignal): Promise<ProviderResult>;
}
