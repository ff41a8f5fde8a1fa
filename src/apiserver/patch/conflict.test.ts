// Proves conflict messages and causes are worded exactly as kube-apiserver words them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Conflict, conflictCauses, conflictMessage } from './conflict.ts';

const GV = 'networking.datumapis.com/v1alpha1';
const operator: Omit<Conflict, 'field'> = {
  manager: 'network-services-operator',
  operation: 'Update',
  apiVersion: GV,
};

describe('conflictMessage', () => {
  test('one conflict with an Update manager names the apiVersion', () => {
    assert.equal(
      conflictMessage([{ ...operator, field: '.spec.mtu' }]),
      'Apply failed with 1 conflict: conflict with "network-services-operator" using networking.datumapis.com/v1alpha1: .spec.mtu',
      'the research example',
    );
  });

  test('an Apply manager is named alone, a subresource after the name', () => {
    assert.equal(
      conflictMessage([{ manager: 'kubectl', operation: 'Apply', apiVersion: GV, field: '.spec.mtu' }]),
      'Apply failed with 1 conflict: conflict with "kubectl": .spec.mtu',
      'Apply',
    );
    assert.equal(
      conflictMessage([{ ...operator, subresource: 'status', field: '.status.phase' }]),
      `Apply failed with 1 conflict: conflict with "network-services-operator" with subresource "status" using ${GV}: .status.phase`,
      'subresource',
    );
  });

  test('several conflicts are grouped under managers in identifier order', () => {
    const conflicts: Conflict[] = [
      { ...operator, field: '.spec.mtu' },
      { manager: 'kubectl', operation: 'Apply', apiVersion: GV, field: '.spec.description' },
      { ...operator, field: '.spec.selector.env' },
    ];
    assert.equal(
      conflictMessage(conflicts),
      [
        'Apply failed with 3 conflicts: conflicts with "kubectl":',
        '- .spec.description',
        `conflicts with "network-services-operator" using ${GV}:`,
        '- .spec.mtu',
        '- .spec.selector.env',
      ].join('\n'),
      'grouped',
    );
  });

  test('each conflict becomes a FieldManagerConflict cause', () => {
    assert.deepEqual(
      conflictCauses([{ ...operator, field: '.spec.mtu' }]),
      [
        {
          reason: 'FieldManagerConflict',
          message: `conflict with "network-services-operator" using ${GV}`,
          field: '.spec.mtu',
        },
      ],
      'details.causes',
    );
  });
});
