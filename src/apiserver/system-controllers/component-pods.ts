import { randomInt } from 'node:crypto';
import { StatusError } from '../../api/status-error.ts';
import type { LogBuffer } from '../../log/log-buffer.ts';
import type { Pod } from '../builtin/pod.ts';
import { rfc3339 } from '../registry/field-management.ts';
import type { ApiObject } from '../registry/object-codec.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { systemWrite } from '../registry/request-options.ts';

export const COMPONENT_APP = 'network-services-operator';
export const PID_ANNOTATION = 'nso.datumapis.com/pid';
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
const MANAGER = 'nso';
const INSTANCE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface Component {
  /** e.g. `apiserver`; the pod is `nso-<component>-<instance>`. */
  readonly component: string;
  readonly container: string;
  /** Defaults to `nso:<version>`. */
  readonly image?: string;
  readonly logs: LogBuffer;
}

export interface ComponentPodsOptions {
  /** Defaults to datum-system. */
  readonly namespace?: string;
  readonly nodeName: string;
  readonly pid: number;
  readonly now: () => number;
  /** Tells this run's pods from earlier ones; five random lowercase letters and digits by default. */
  readonly instance?: string;
  /** For the default image, `nso:<version>`. */
  readonly version?: string;
}

/**
 * This process's control-plane components as read-only Pods (labelled app=network-services-operator), so
 * `kubectl get pods` and `kubectl logs` reach them. Writes are system writes; the HTTP verbs stay read-only.
 */
export class ComponentPods {
  readonly namespace: string;
  readonly instance: string;
  readonly #store: RegistryStore;
  readonly #options: ComponentPodsOptions;
  readonly #published = new Map<string, Component>();

  constructor(store: RegistryStore, options: ComponentPodsOptions) {
    this.#store = store;
    this.#options = options;
    this.namespace = options.namespace ?? 'datum-system';
    this.instance = options.instance ?? randomInstance();
  }

  podName(component: string): string {
    return `nso-${component}-${this.instance}`;
  }

  /** Creates (or replaces) one Running pod per component. */
  async publish(components: readonly Component[]): Promise<void> {
    for (const component of components) {
      const name = this.podName(component.component);
      const pod = this.#pod(name, component) as unknown as ApiObject;
      await this.#store.guaranteedUpdate(
        this.namespace,
        name,
        systemWrite(MANAGER),
        undefined,
        () => structuredClone(pod),
        true,
      );
      this.#published.set(name, component);
    }
  }

  /** The log of one of this process's containers, for servePodLog; undefined for any other pod. */
  logsFor(namespace: string, name: string, container: string): LogBuffer | undefined {
    if (namespace !== this.namespace) return undefined;
    const component = this.#published.get(name);
    return component?.container === container ? component.logs : undefined;
  }

  /**
   * Deletes component pods left on this node by runs that are gone: their pid names no live process, or names
   * this process without being one of its pods. Pods of other nodes are theirs to clean. Returns the names.
   */
  async removeStale(isAlive: (pid: number) => boolean): Promise<string[]> {
    const listed = await this.#store.list(this.namespace, {
      labelSelector: `app.kubernetes.io/name=${COMPONENT_APP}`,
    });
    const removed: string[] = [];
    for (const pod of listed.items) {
      const name = pod.metadata.name ?? '';
      if (this.#published.has(name)) continue;
      if ((pod.spec as { nodeName?: string } | undefined)?.nodeName !== this.#options.nodeName) continue;
      const pid = Number(pod.metadata.annotations?.[PID_ANNOTATION]);
      if (!Number.isSafeInteger(pid) || pid <= 0) continue;
      if (pid !== this.#options.pid && isAlive(pid)) continue;
      if (await this.#delete(name)) removed.push(name);
    }
    return removed;
  }

  /** Ends every follow of its logs and deletes its pods. */
  async close(): Promise<void> {
    for (const component of this.#published.values()) component.logs.close();
    const names = [...this.#published.keys()];
    this.#published.clear();
    for (const name of names) await this.#delete(name);
  }

  async #delete(name: string): Promise<boolean> {
    try {
      await this.#store.delete(this.namespace, name, { dryRun: false, propagationPolicy: undefined });
      return true;
    } catch (error) {
      if (error instanceof StatusError && error.reason === 'NotFound') return false;
      throw error;
    }
  }

  #pod(name: string, component: Component): Pod {
    const started = rfc3339(this.#options.now());
    const image = component.image ?? `nso:${this.#options.version ?? 'latest'}`;
    const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: started });
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: this.namespace,
        labels: {
          app: COMPONENT_APP,
          'app.kubernetes.io/name': COMPONENT_APP,
          'app.kubernetes.io/component': component.component,
          'app.kubernetes.io/instance': this.instance,
        },
        annotations: {
          [PID_ANNOTATION]: String(this.#options.pid),
          [DEFAULT_CONTAINER_ANNOTATION]: component.container,
        },
      },
      spec: {
        containers: [{ name: component.container, image }],
        nodeName: this.#options.nodeName,
      },
      status: {
        phase: 'Running',
        podIP: '127.0.0.1',
        startTime: started,
        conditions: [
          condition('PodReadyToStartContainers'),
          condition('Initialized'),
          condition('Ready'),
          condition('ContainersReady'),
          condition('PodScheduled'),
        ],
        containerStatuses: [
          {
            name: component.container,
            ready: true,
            restartCount: 0,
            image,
            imageID: '',
            started: true,
            state: { running: { startedAt: started } },
          },
        ],
      },
    };
  }
}

function randomInstance(): string {
  let id = '';
  for (let i = 0; i < 5; i++) id += INSTANCE_ALPHABET[randomInt(INSTANCE_ALPHABET.length)];
  return id;
}
