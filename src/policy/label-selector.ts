import type { LabelSelector, LabelSelectorRequirement, Labels } from './inputs.ts';

const NO_LABELS: Labels = {};

/** Kubernetes label-selector matching: every matchLabels pair and every expression must hold; {} matches all. */
export function matchesSelector(selector: LabelSelector, labels: Labels | undefined): boolean {
  const have = labels ?? NO_LABELS;
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels) {
    for (const key in matchLabels) {
      if (!Object.hasOwn(have, key) || have[key] !== matchLabels[key]) return false;
    }
  }
  if (matchExpressions) {
    for (const { key, operator, values = [] } of matchExpressions) {
      const present = Object.hasOwn(have, key);
      switch (operator) {
        case 'In':
          if (!present || !values.includes(have[key]!)) return false;
          break;
        case 'NotIn':
          if (present && values.includes(have[key]!)) return false;
          break;
        case 'Exists':
          if (!present) return false;
          break;
        case 'DoesNotExist':
          if (present) return false;
          break;
      }
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? NO_LABELS).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

/** The selector in kubectl's words (`app=web,tier in (a,b),!legacy`); equal selectors give equal text. */
export function describeSelector(selector: LabelSelector): string {
  const parts = Object.keys(selector.matchLabels ?? NO_LABELS)
    .sort()
    .map((key) => `${key}=${selector.matchLabels![key]}`);
  parts.push(...(selector.matchExpressions ?? []).map(describeRequirement).sort());
  return parts.join(',');
}

function describeRequirement({ key, operator, values = [] }: LabelSelectorRequirement): string {
  const list = [...values].sort().join(',');
  switch (operator) {
    case 'In':
      return `${key} in (${list})`;
    case 'NotIn':
      return `${key} notin (${list})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
  }
}

/** A canonical key: equal for selectors that select the same labels however they are written out. */
export function selectorKey(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels ?? NO_LABELS)
    .sort()
    .map((key) => [key, selector.matchLabels![key]]);
  const expressions = (selector.matchExpressions ?? [])
    .map(({ key, operator, values = [] }) => JSON.stringify([key, operator, [...new Set(values)].sort()]))
    .sort();
  return JSON.stringify([labels, [...new Set(expressions)]]);
}
