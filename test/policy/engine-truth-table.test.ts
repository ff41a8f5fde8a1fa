// Proves the policy engine (src/policy) gives exactly the hand-written Kubernetes truth tables.
import { compilePolicies, evaluateFlow } from '../../src/policy/index.ts';
import { policyTruthTable } from './truth-table-suite.ts';

policyTruthTable('engine', (world) => {
  const compiled = compilePolicies(world);
  return (from, to, protocol, port) =>
    evaluateFlow(compiled, { from: { workload: from }, to: { workload: to }, protocol, port }).allowed;
});
