import { Environment } from '@marcbachmann/cel-js';
import { registerIPLibrary } from './kubernetes-ip-library.ts';
import { registerListsLibrary } from './kubernetes-lists-library.ts';
import { registerRegexLibrary } from './kubernetes-regex-library.ts';
import { registerSetsLibrary } from './kubernetes-sets-library.ts';
import { registerStringsLibrary } from './kubernetes-strings-library.ts';

const base = [
  registerIPLibrary,
  registerListsLibrary,
  registerRegexLibrary,
  registerSetsLibrary,
  registerStringsLibrary,
].reduce(
  (env, register) => register(env),
  new Environment({
    enableOptionalTypes: true,
    // cel-go bounds no literal's size; cel-js defaults to the CEL specification's minimums.
    limits: { maxListElements: 100_000, maxMapEntries: 100_000, maxCallArguments: 1_000 },
  }).registerVariable('self', 'dyn'),
);

/**
 * The CEL environment of x-kubernetes-validations rules: `self` and `oldSelf` (dyn), optional types, and the
 * libraries a Kubernetes 1.30 API server adds to CEL's standard ones.
 */
export const KUBERNETES_CEL: Environment = base.clone().registerVariable('oldSelf', 'dyn');

/** The same for a rule with optionalOldSelf: true, where `oldSelf` is an optional value. */
export const KUBERNETES_CEL_OPTIONAL_OLD_SELF: Environment = base
  .clone()
  .registerVariable('oldSelf', 'optional<dyn>');
