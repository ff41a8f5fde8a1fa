// Proves the etcd backend keeps the whole Storage contract against a real etcd, with the shared suite.
import { after, before } from 'node:test';
import { EtcdStorage } from '../../src/storage/etcd/etcd-storage.ts';
import { EtcdCluster } from '../etcd/etcd-harness.ts';
import { etcdAvailable } from '../etcd/require-etcd.ts';
import { storageConformance } from './storage-suite.ts';

if (etcdAvailable('storage conformance: etcd')) {
  let cluster: EtcdCluster | undefined;
  let stores = 0;
  before(async () => {
    cluster = await EtcdCluster.start(1);
  });
  after(async () => {
    await cluster?.stop();
  });
  // One etcd for the whole suite; a fresh key prefix per store keeps every store empty and its own.
  storageConformance(
    'etcd',
    async () => new EtcdStorage({ endpoints: cluster!.endpoints, prefix: `/nso-conformance/${++stores}/` }),
    { scale: Number(process.env.NSO_ETCD_SCALE ?? 0.25) },
  );
}
