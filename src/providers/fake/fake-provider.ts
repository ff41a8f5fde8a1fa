import type { Provider, ProviderContext, ProviderNetwork, ProviderResult } from '../provider.ts';

export type FakeProviderCall =
  | { readonly method: 'ensureNetwork'; readonly context: ProviderContext; readonly network: ProviderNetwork }
  | { readonly method: 'deleteNetwork'; readonly context: ProviderContext };

/**
 * A provider that changes nothing and records every call, for tests. It reports one `network` resource
 * named `<namespace>-<network>`; `failWith` makes the following calls return that failure instead.
 */
export class FakeProvider implements Provider {
  readonly name: string;
  readonly calls: FakeProviderCall[] = [];
  #failure: string | undefined;

  constructor(name = 'fake') {
    this.name = name;
  }

  failWith(message: string | undefined): void {
    this.#failure = message;
  }

  async ensureNetwork(context: ProviderContext, network: ProviderNetwork): Promise<ProviderResult> {
    this.calls.push({ method: 'ensureNetwork', context, network });
    if (this.#failure !== undefined) return { ok: false, message: this.#failure };
    const blocks = [...network.ipv4Blocks, ...network.ipv6Blocks].join(', ');
    return {
      ok: true,
      message: `${this.name} programmed network ${network.name} (${blocks})`,
      resources: [{ kind: 'network', name: `${network.namespace}-${network.name}`, id: network.uid }],
    };
  }

  async deleteNetwork(context: ProviderContext): Promise<ProviderResult> {
    this.calls.push({ method: 'deleteNetwork', context });
    if (this.#failure !== undefined) return { ok: false, message: this.#failure };
    return { ok: true, message: `${this.name} deleted the resources of ${context.name}`, resources: [] };
  }
}
