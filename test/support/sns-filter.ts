/**
 * SNS subscription filter policies, evaluated on a Publish's MessageAttributes the way SNS does it
 * (Amazon SNS Developer Guide, "Amazon SNS message filtering"; attribute-based policies):
 * - every key of the policy must match (AND); a key matches when any of its conditions does (OR);
 * - a String.Array attribute matches when any of its elements does;
 * - a key whose attribute is absent matches only `{ "exists": false }`;
 * - Binary attributes never match.
 * Supported conditions: exact strings and numbers, `exists`, `prefix`, `anything-but` (a value or list).
 * Anything else throws, so a policy this cannot read fails the test instead of passing it.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';

type Condition = string | number | Record<string, unknown>;

function valuesOf(attribute: MessageAttributeValue): (string | number)[] | null {
  const { DataType: type = '', StringValue: text } = attribute;
  if (type.startsWith('Binary') || text === undefined) return null;
  if (type.startsWith('String.Array')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error(`String.Array attribute is not a JSON array: ${text}`);
    return parsed.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  }
  return [type.startsWith('Number') ? Number(text) : text];
}

function conditionMatches(condition: Condition, values: (string | number)[] | null): boolean {
  if (typeof condition !== 'object') return values !== null && values.some((v) => v === condition);
  const [operator, operand, ...rest] = Object.entries(condition).flat();
  if (rest.length > 0) throw new Error(`one operator per condition: ${JSON.stringify(condition)}`);
  if (operator === 'exists') return operand === (values !== null);
  if (values === null) return false;
  if (operator === 'prefix') return values.some((v) => typeof v === 'string' && v.startsWith(String(operand)));
  if (operator === 'anything-but') {
    const excluded = [operand].flat();
    return values.some((v) => !excluded.includes(v));
  }
  throw new Error(`filter operator not supported by this evaluator: ${JSON.stringify(condition)}`);
}

export function filterPolicyMatches(
  policy: Record<string, Condition[]> | undefined,
  attributes: Record<string, MessageAttributeValue> | undefined,
): boolean {
  if (!policy) return true; // no policy: every message
  return Object.entries(policy).every(([name, conditions]) => {
    const attribute = attributes?.[name];
    const values = attribute ? valuesOf(attribute) : null;
    return conditions.some((condition) => conditionMatches(condition, values));
  });
}
