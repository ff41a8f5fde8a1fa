// Proves label selectors match as Kubernetes' do, and that their keys and descriptions are canonical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSelector, isEmptySelector, matchesSelector, selectorKey } from './label-selector.ts';

const labels = { app: 'web', tier: 'front' };

test('matchLabels: every pair must match', () => {
  assert.equal(matchesSelector({ matchLabels: { app: 'web' } }, labels), true, 'one pair');
  assert.equal(
    matchesSelector({ matchLabels: { app: 'web', tier: 'back' } }, labels),
    false,
    'one pair differs',
  );
  assert.equal(
    matchesSelector({ matchLabels: { env: '' } }, labels),
    false,
    'an absent key is not an empty value',
  );
  assert.equal(matchesSelector({ matchLabels: { constructor: 'x' } }, {}), false, 'no prototype keys');
});

test('matchExpressions: In, NotIn (true when the key is absent), Exists, DoesNotExist', () => {
  const m = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', key: string, values?: string[]) =>
    matchesSelector({ matchExpressions: [values ? { key, operator, values } : { key, operator }] }, labels);
  assert.equal(m('In', 'app', ['web', 'api']), true, 'In');
  assert.equal(m('In', 'env', ['prod']), false, 'In, key absent');
  assert.equal(m('NotIn', 'app', ['api']), true, 'NotIn');
  assert.equal(m('NotIn', 'app', ['web']), false, 'NotIn, value listed');
  assert.equal(m('NotIn', 'env', ['prod']), true, 'NotIn, key absent');
  assert.equal(m('Exists', 'tier'), true, 'Exists');
  assert.equal(m('Exists', 'env'), false, 'Exists, absent');
  assert.equal(m('DoesNotExist', 'env'), true, 'DoesNotExist');
  assert.equal(m('DoesNotExist', 'app'), false, 'DoesNotExist, present');
});

test('labels and expressions must all hold; {} matches everything, even no labels', () => {
  const both = {
    matchLabels: { app: 'web' },
    matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['back'] }],
  };
  assert.equal(matchesSelector(both, labels), false, 'the expression fails');
  assert.equal(matchesSelector({}, undefined), true, '{} with no labels');
  assert.equal(isEmptySelector({ matchLabels: {}, matchExpressions: [] }), true, 'empty lists are empty');
  assert.equal(isEmptySelector({ matchLabels: { a: 'b' } }), false, 'not empty');
});

test('keys and descriptions ignore the order things are written in', () => {
  const a = {
    matchLabels: { b: '2', a: '1' },
    matchExpressions: [
      { key: 'z', operator: 'In' as const, values: ['y', 'x'] },
      { key: 'w', operator: 'DoesNotExist' as const },
    ],
  };
  const b = {
    matchLabels: { a: '1', b: '2' },
    matchExpressions: [
      { key: 'w', operator: 'DoesNotExist' as const },
      { key: 'z', operator: 'In' as const, values: ['x', 'y'] },
    ],
  };
  assert.equal(selectorKey(a), selectorKey(b), 'same key');
  assert.notEqual(selectorKey(a), selectorKey({ matchLabels: { a: '1' } }), 'different key');
  assert.equal(describeSelector(a), 'a=1,b=2,!w,z in (x,y)', 'kubectl style');
  assert.equal(
    describeSelector({
      matchExpressions: [
        { key: 'k', operator: 'Exists' },
        { key: 'n', operator: 'NotIn', values: ['v'] },
      ],
    }),
    'k,n notin (v)',
    'Exists, NotIn',
  );
});
