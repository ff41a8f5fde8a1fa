import type { KubeConfig } from '@kubernetes/client-node';
import type { KindDefinition } from '../../api/kind.ts';
import { ApiTransport } from '../../client/api-transport.ts';
import { Informer } from '../../client/informer.ts';
import { type ApiResource, apiResourceOf, type KubeObject } from '../../client/kube-object.ts';
import { ResourceClient } from '../../client/resource-client.ts';
import type { Logger } from '../../log/logger.ts';
import { eventSink } from './client-adapters.ts';
import { type CoreEvent, EventRecorder } from './event-recorder.ts';

/** core/v1 Events, where the recorder writes and tests read. */
export const EVENTS: ApiResource = {
  group: '',
  version: 'v1',
  plural: 'events',
  kind: 'Event',
  namespaced: true,
};

export interface OperatorApiOptions {
  readonly userAgent: string;
  readonly logger: Logger;
  /** What the Events it records name as their source: the component, and which replica. */
  readonly component: string;
  readonly instance: string;
}

/**
 * One operator's view of the API: one transport, clients, informers that log a failed watch and retry, and
 * an Event recorder. `nso operator`, `nso up`'s thread and the tests' partial operators are all built on it.
 */
export class OperatorApi {
  readonly transport: ApiTransport;
  readonly recorder: EventRecorder;
  readonly #informers: Informer<KubeObject>[] = [];
  readonly #logger: Logger;

  constructor(kubeConfig: KubeConfig, options: OperatorApiOptions) {
    this.#logger = options.logger;
    this.transport = new ApiTransport(kubeConfig, { userAgent: options.userAgent });
    this.recorder = new EventRecorder({
      sink: eventSink(this.client<CoreEvent & KubeObject>(EVENTS)),
      component: options.component,
      instance: options.instance,
      logger: options.logger,
    });
  }

  /** A client of `resource`, or of one of nso's kinds. */
  client<T extends KubeObject>(resource: ApiResource | KindDefinition): ResourceClient<T> {
    return new ResourceClient<T>(
      this.transport,
      'namespaced' in resource ? resource : apiResourceOf(resource),
    );
  }

  /** An informer, started by sync() with every other one made here. */
  informer<T extends KubeObject>(resource: ApiResource | KindDefinition): Informer<T> {
    const client = this.client<T>(resource);
    const informer = new Informer<T>(client, {
      onError: (error) =>
        this.#logger.warn('watch failed; retrying', {
          resource: client.resource.plural,
          error: error instanceof Error ? error.message : String(error),
        }),
    });
    this.#informers.push(informer as unknown as Informer<KubeObject>);
    return informer;
  }

  /** Starts every informer and resolves once all have listed (or `signal` aborts); returns how many. */
  async sync(signal?: AbortSignal): Promise<number> {
    for (const each of this.#informers) each.start();
    await Promise.all(this.#informers.map((each) => each.waitForSync(signal)));
    return this.#informers.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.#informers.map((each) => each.stop()));
    this.transport.close();
  }
}
