/**
 * Label selectors: the string grammar of `?labelSelector=` and `kubectl -l`, the `LabelSelector` object of
 * `spec.selector`, matching, kubectl's display form, and validation.
 *
 * Upstream: `k8s.io/apimachinery/pkg/labels/selector.go` (grammar, requirements, matching) and
 * `pkg/apis/meta/v1/helpers.go` + `validation/validation.go` (the object form). Error texts are upstream's,
 * because kubectl prints them as they come.
 *
 * Isomorphic: no `node:` imports.
 */

import { badRequest, fieldErrors, type FieldError } from './errors.js';
import { isQualifiedName, isValidLabelValue, validateLabels } from './names.js';
import type { LabelSelector, LabelSelectorRequirement } from './types.js';

export { validateLabels };

/**
 * Operators, spelled as upstream's `selection.Operator`: `exists` is a bare key, `!` is `!key`, `gt`/`lt`
 * are `key>n`/`key<n`. `=` and `==` mean the same; both are kept so a selector prints back as typed.
 */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

/** One clause of a selector; a selector is a list of them, ANDed. */
export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Empty for `exists` and `!`; one value for `=`, `==`, `!=`, `gt`, `lt`; one or more for `in`/`notin`. */
  values: string[];
}

/** What a selector object that is absent (`null`/`undefined`) selects: nothing at all. */
export type NothingSelector = 'nothing';

// ---------------------------------------------------------------------------------------------
// Requirements and their errors.

/** Go's `%q` for the strings we print; JSON quoting agrees with it for printable text. */
const quote = (value: string): string => JSON.stringify(value);

/** Go's `%#v` for a `[]string`, which upstream prints for a wrong-sized value list. */
function goStringSlice(values: string[]): string {
  return values.length === 0 ? '[]string(nil)' : `[]string{${values.map(quote).join(', ')}}`;
}

/** Upstream's `field.Error` text for an Invalid value. */
function invalidText(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${value}: ${detail}`;
}

/** Upstream's aggregate error text: one message alone, several as `[a, b]`, duplicates dropped. */
function aggregateText(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** Parses a base-10 int64 as Go's `strconv.ParseInt(s, 10, 64)` accepts it, or undefined. */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value >= int64Min && value <= int64Max ? value : undefined;
}

/** The messages upstream's `NewRequirement` gives (with no field path prefix), empty when valid. */
function requirementErrors(key: string, operator: LabelOperator, values: string[]): string[] {
  const errors: string[] = [];
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length > 0) errors.push(invalidText('key', quote(key), keyErrors.join('; ')));

  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) {
        errors.push(invalidText('values', goStringSlice(values), "for 'in', 'notin' operators, values set can't be empty"));
      }
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) {
        errors.push(invalidText('values', goStringSlice(values), 'exact-match compatibility requires one single value'));
      }
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) {
        errors.push(invalidText('values', goStringSlice(values), 'values set must be empty for exists and does not exist'));
      }
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) {
        errors.push(invalidText('values', goStringSlice(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
      }
      values.forEach((value, i) => {
        if (parseInt64(value) === undefined) {
          errors.push(invalidText(`values[${i}]`, quote(value), "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }

  values.forEach((value, i) => {
    const valueErrors = isValidLabelValue(value);
    if (valueErrors.length > 0) errors.push(invalidText(`values[${i}][${key}]`, quote(value), valueErrors.join('; ')));
  });
  return errors;
}

/** Builds a requirement, throwing upstream's aggregate message (without prefix) when it is invalid. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errors = requirementErrors(key, operator, values);
  if (errors.length > 0) throw new SelectorSyntaxError(aggregateText(errors));
  return { key, operator, values };
}

/** Orders requirements by key, as upstream does so a selector has one printed form. */
function sortByKey(requirements: LabelRequirement[]): LabelRequirement[] {
  return [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A parse failure; turned into a 400 at the module boundary. */
class SelectorSyntaxError extends Error {
  override readonly name = 'SelectorSyntaxError';
}

// ---------------------------------------------------------------------------------------------
// Lexer.

type TokenKind = 'identifier' | 'end' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<';

interface Token {
  kind: TokenKind;
  literal: string;
}

const symbolTokens: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['(', '('],
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['=', '='],
  ['==', '=='],
  ['!=', '!='],
  ['>', '>'],
  ['<', '<'],
]);

const isSymbolChar = (ch: string): boolean => '=!(),><'.includes(ch);
const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** Splits selector text into tokens, ending with an `end` token. Words `in`/`notin` become keywords. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && isWhitespace(text[pos])) pos++;
    if (pos >= text.length) {
      tokens.push({ kind: 'end', literal: '' });
      return tokens;
    }
    const start = pos;
    if (isSymbolChar(text[pos])) {
      // Longest run of symbol characters that is still a known operator: `!=` and `==` win over `!` and `=`.
      pos++;
      while (pos < text.length && isSymbolChar(text[pos]) && symbolTokens.has(text.slice(start, pos + 1))) pos++;
      const literal = text.slice(start, pos);
      tokens.push({ kind: symbolTokens.get(literal)!, literal });
    } else {
      while (pos < text.length && !isSymbolChar(text[pos]) && !isWhitespace(text[pos])) pos++;
      const literal = text.slice(start, pos);
      const kind: TokenKind = literal === 'in' || literal === 'notin' ? literal : 'identifier';
      tokens.push({ kind, literal });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parser.

/**
 * Where the parser is: after a key, `in`/`notin` are operators; anywhere a value or key may stand
 * they are plain words (`x in (in)` is legal).
 */
type ParseContext = 'operator' | 'value';

class LabelSelectorParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(context: ParseContext): Token {
    return this.asContext(this.tokens[this.position], context);
  }

  private next(context: ParseContext): Token {
    const token = this.tokens[this.position];
    // The final `end` token is never consumed past, so lookups stay in range.
    if (token.kind !== 'end') this.position++;
    return this.asContext(token, context);
  }

  private asContext(token: Token, context: ParseContext): Token {
    if (context === 'value' && (token.kind === 'in' || token.kind === 'notin')) return { kind: 'identifier', literal: token.literal };
    return token;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const token = this.peek('value');
      if (token.kind === 'end') return requirements;
      if (token.kind !== 'identifier' && token.kind !== '!') {
        throw new SelectorSyntaxError(`found '${token.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (error) {
        if (error instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${error.message}`);
        throw error;
      }
      const after = this.next('value');
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') throw new SelectorSyntaxError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.peek('value');
      if (following.kind !== 'identifier' && following.kind !== '!') {
        throw new SelectorSyntaxError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred) return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // Upstream collects values in a set and lists them sorted.
    return newRequirement(key, operator, [...new Set(values)].sort());
  }

  /** Reads `[!]key`; a key followed by `,` or the end is `exists`, and `!key` is always `!`. */
  private parseKeyAndInferOperator(): { key: string; operator?: 'exists' | '!' } {
    let token = this.next('value');
    let operator: 'exists' | '!' | undefined;
    if (token.kind === '!') {
      operator = '!';
      token = this.next('value');
    }
    if (token.kind !== 'identifier') throw new SelectorSyntaxError(`found '${token.literal}', expected: identifier`);
    const keyErrors = isQualifiedName(token.literal);
    if (keyErrors.length > 0) {
      // Upstream validates the key here with no field path, which prints as `<nil>`.
      throw new SelectorSyntaxError(invalidText('<nil>', quote(token.literal), keyErrors.join('; ')));
    }
    const following = this.peek('value').kind;
    if ((following === 'end' || following === ',') && operator !== '!') operator = 'exists';
    return { key: token.literal, operator };
  }

  private parseOperator(): LabelOperator {
    const token = this.next('operator');
    switch (token.kind) {
      case 'in':
        return 'in';
      case 'notin':
        return 'notin';
      case '=':
        return '=';
      case '==':
        return '==';
      case '!=':
        return '!=';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new SelectorSyntaxError(`found '${token.literal}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  /** Reads `(a,b,...)`; empty entries (`()`, `(a,)`, `(,a)`) stand for the empty value. */
  private parseValues(): string[] {
    const open = this.next('value');
    if (open.kind !== '(') throw new SelectorSyntaxError(`found '${open.literal}' expected: '('`);
    const first = this.peek('value');
    if (first.kind === ')') {
      this.next('value');
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== ',') {
      throw new SelectorSyntaxError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.parseValueList();
    if (this.next('value').kind !== ')') throw new SelectorSyntaxError(`found '${first.literal}', expected: ')'`);
    return values;
  }

  /** Reads values up to (not including) the closing parenthesis. */
  private parseValueList(): string[] {
    const values: string[] = [];
    for (;;) {
      const token = this.next('value');
      if (token.kind === 'identifier') {
        values.push(token.literal);
        const following = this.peek('value');
        if (following.kind === ',') continue;
        if (following.kind === ')') return values;
        throw new SelectorSyntaxError(`found '${following.literal}', expected: ',' or ')'`);
      }
      if (token.kind === ',') {
        // A comma with nothing before it, after it, or between two commas stands for an empty value.
        if (values.length === 0) values.push('');
        const following = this.peek('value').kind;
        if (following === ')') {
          values.push('');
          return values;
        }
        if (following === ',') values.push('');
        continue;
      }
      throw new SelectorSyntaxError(`found '${token.literal}', expected: ',', or identifier`);
    }
  }

  /** Reads the value after `=`, `==`, `!=`, `>` or `<`; nothing there means the empty value. */
  private parseExactValue(): string[] {
    const following = this.peek('value').kind;
    if (following === 'end' || following === ',') return [''];
    const token = this.next('value');
    if (token.kind === 'identifier') return [token.literal];
    throw new SelectorSyntaxError(`found '${token.literal}', expected: identifier`);
  }
}

// ---------------------------------------------------------------------------------------------
// Public API.

/**
 * Parses the string form (`app=web,tier in (a,b),!canary`), sorted by key. Empty text selects everything.
 *
 * @throws StatusError 400 BadRequest with upstream's message, e.g.
 *   `unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt` — the API server answers a
 *   bad `labelSelector=` query that way.
 */
export function parseLabelSelector(text: string): LabelRequirement[] {
  try {
    return sortByKey(new LabelSelectorParser(tokenize(text)).parse());
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(error.message);
    throw error;
  }
}

const objectOperators: Record<LabelSelectorRequirement['operator'], LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Converts a `LabelSelector` object as upstream's `LabelSelectorAsSelector`: absent selects nothing,
 * `{}` selects everything, otherwise `matchLabels` then `matchExpressions`, sorted by key.
 *
 * @throws StatusError 400 BadRequest for an unknown operator (`"Foo" is not a valid pod selector operator`)
 *   or an invalid key or value. Validated objects never throw.
 */
export function labelSelectorFromObject(selector: LabelSelector | undefined | null): LabelRequirement[] | NothingSelector {
  if (selector === undefined || selector === null) return 'nothing';
  try {
    const requirements = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => newRequirement(key, '=', [value]));
    for (const expression of selector.matchExpressions ?? []) {
      const operator = Object.hasOwn(objectOperators, expression.operator) ? objectOperators[expression.operator] : undefined;
      if (!operator) throw new SelectorSyntaxError(`${quote(String(expression.operator))} is not a valid pod selector operator`);
      requirements.push(newRequirement(expression.key ?? '', operator, [...(expression.values ?? [])]));
    }
    return sortByKey(requirements);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(error.message);
    throw error;
  }
}

function matchesRequirement(requirement: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'in':
    case '=':
    case '==':
      return has && requirement.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !requirement.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      // Both sides must be integers; a label that is not one never matches.
      const actual = has ? parseInt64(value!) : undefined;
      const bound = requirement.values.length === 1 ? parseInt64(requirement.values[0]) : undefined;
      if (actual === undefined || bound === undefined) return false;
      return requirement.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/**
 * Whether `labels` satisfy every requirement. An empty list matches everything (also unlabelled objects);
 * `'nothing'` matches nothing.
 */
export function matchesLabels(selector: LabelRequirement[] | NothingSelector, labels: Record<string, string> | undefined | null): boolean {
  if (selector === 'nothing') return false;
  const present = labels ?? {};
  return selector.every((requirement) => matchesRequirement(requirement, present));
}

const operatorText: Record<LabelOperator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

/** One requirement in the string grammar; set values are printed sorted. */
export function labelRequirementToString(requirement: LabelRequirement): string {
  const { key, operator, values } = requirement;
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  const valueText = values.length === 1 ? values[0] : [...values].sort().join(',');
  const body = operator === 'in' || operator === 'notin' ? `(${valueText})` : valueText;
  return `${key}${operatorText[operator]}${body}`;
}

/** A requirement list in the string grammar, `,`-joined; `''` for an empty list (what a client sends). */
export function labelRequirementsToString(requirements: LabelRequirement[]): string {
  return requirements.map(labelRequirementToString).join(',');
}

/**
 * A selector object as kubectl shows it in table columns (upstream's `FormatLabelSelector`):
 * `app=foo,env in (a,b)`, `<none>` when it selects everything or nothing, `<error>` when it is invalid.
 */
export function labelSelectorToString(selector: LabelSelector | undefined | null): string {
  let requirements: LabelRequirement[] | NothingSelector;
  try {
    requirements = labelSelectorFromObject(selector);
  } catch {
    // An invalid stored selector is shown, not fatal: upstream prints `<error>` in the column.
    return '<error>';
  }
  if (requirements === 'nothing') return '<none>';
  return labelRequirementsToString(requirements) || '<none>';
}

export interface LabelSelectorValidationOptions {
  /** Accept invalid values in `matchExpressions` (upstream allows this on update when the old object had them). */
  allowInvalidLabelValueInSelector?: boolean;
}

/**
 * Validates a `LabelSelector` object (upstream's `metav1validation.ValidateLabelSelector`):
 * `matchLabels` as labels; for each expression the operator, the values it needs or forbids, the key,
 * and each value. An absent selector is valid here; callers that require one check that themselves.
 */
export function validateLabelSelector(
  selector: LabelSelector | undefined | null,
  fieldPath: string,
  options: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (!selector) return [];
  const errors = validateLabels(selector.matchLabels, `${fieldPath}.matchLabels`);
  (selector.matchExpressions ?? []).forEach((expression, i) => {
    errors.push(...validateSelectorRequirement(expression, `${fieldPath}.matchExpressions[${i}]`, options));
  });
  return errors;
}

function validateSelectorRequirement(
  requirement: LabelSelectorRequirement,
  fieldPath: string,
  options: LabelSelectorValidationOptions,
): FieldError[] {
  const errors: FieldError[] = [];
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(fieldErrors.required(`${fieldPath}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) {
        errors.push(fieldErrors.forbidden(`${fieldPath}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      }
      break;
    default:
      errors.push(fieldErrors.invalid(`${fieldPath}.operator`, requirement.operator, 'not a valid selector operator'));
  }
  const key = requirement.key ?? '';
  for (const message of isQualifiedName(key)) errors.push(fieldErrors.invalid(`${fieldPath}.key`, key, message));
  if (!options.allowInvalidLabelValueInSelector) {
    values.forEach((value, i) => {
      for (const message of isValidLabelValue(value)) errors.push(fieldErrors.invalid(`${fieldPath}.values[${i}]`, value, message));
    });
  }
  return errors;
}
