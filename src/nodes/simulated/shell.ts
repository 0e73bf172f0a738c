/**
 * What a container's command would print, for the few command lines that tutorials use:
 * `echo X`, `sleep N`, and `sh -c` scripts made of echo, sleep, date, hostname, variable assignments
 * with `$((arithmetic))`, and at most one endless `while true; do …; done` loop, such as
 * `i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done`.
 *
 * Anything else (pipes, redirections, conditionals, other programs) is not understood: the caller
 * falls back to generic lines. Nothing here runs anything; the script is only read.
 */
import type { LogLine } from '../../api/logs.js';

export interface ShellContext {
  /** The container's environment (literal values only). */
  env: Record<string, string>;
  /** What `hostname` prints and `$HOSTNAME` holds: the pod's name. */
  hostname: string;
}

/** A command line, run from a given start time. */
export interface ShellProgram {
  run(start: number): ShellRun | undefined;
}

export interface ShellRun {
  /** Lines printed before the endless loop (or all of them, without one). */
  prelude: LogLine[];
  /** The endless loop after the prelude: iteration k starts at `start + k * periodMs`. */
  loop?: { start: number; periodMs: number; iteration(k: number): LogLine[] };
}

/** Every command takes this long, so that lines printed in a row still get increasing times. */
const commandMs = 1;
/** Loops that print faster than this are busy loops, not something to simulate. */
const minimumPeriodMs = 100;
const maxCommands = 200;

/** Reads a container's command and args; undefined when they are not a command line understood here. */
export function shellProgram(argv: string[], context: ShellContext): ShellProgram | undefined {
  if (argv.length === 0) return undefined;
  const words = argv.map((a) => expandKubernetesReferences(a, context.env));
  const program = basename(words[0]!);
  let commands: Command[] | undefined;
  if (['sh', 'bash', 'ash', 'dash'].includes(program)) {
    if (words.length < 3 || !/^-[eu]*c[eu]*$/.test(words[1]!)) return undefined;
    commands = parseScript(words[2]!);
  } else {
    // Exec form: no shell, so no expansions; the words are the arguments as given.
    commands = parseCommand(words.map((w) => [{ type: 'literal', text: w, quoted: true }]));
  }
  if (!commands) return undefined;
  const script = splitLoop(commands);
  if (!script) return undefined;
  const vars = { ...context.env, HOSTNAME: context.hostname };
  return { run: (start) => runScript(script, vars, context, start) };
}

// --- Kubernetes' own $(VAR) expansion in command and args -------------------------------------------

/** `$(NAME)` becomes the env var's value when it is defined, `$$` an escaped `$`; the rest stays. */
export function expandKubernetesReferences(text: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    const close = text[i + 1] === '(' ? text.indexOf(')', i + 2) : -1;
    const name = close > 0 ? text.slice(i + 2, close) : undefined;
    if (name !== undefined && Object.hasOwn(env, name)) {
      out += env[name];
      i = close;
    } else out += c;
  }
  return out;
}

// --- tokens ------------------------------------------------------------------------------------------

type Part =
  | { type: 'literal'; text: string; quoted: boolean }
  | { type: 'variable'; name: string; quoted: boolean }
  | { type: 'substitution'; command: 'date' | 'hostname'; quoted: boolean }
  | { type: 'arithmetic'; expression: string; quoted: boolean };
type Word = Part[];
type Token = Word | ';';

class Unsupported extends Error {}

function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let word: Word | undefined;
  const literal = (text: string, quoted: boolean) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last?.type === 'literal' && last.quoted === quoted) last.text += text;
    else word.push({ type: 'literal', text, quoted });
  };
  const endWord = () => {
    if (word) tokens.push(word);
    word = undefined;
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === ';' || c === '\n' || (c === '&' && script[i + 1] === '&')) {
      endWord();
      tokens.push(';');
      i += c === '&' ? 2 : 1;
    } else if (c === '#' && !word) {
      while (i < script.length && script[i] !== '\n') i++;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) throw new Unsupported();
      literal(script.slice(i + 1, end), true);
      i = end + 1;
    } else if (c === '"') {
      word ??= [];
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && '"\\$`'.includes(script[i + 1] ?? '')) {
          literal(script[i + 1]!, true);
          i += 2;
        } else if (script[i] === '$') {
          i = expansion(script, i, true, word, literal);
        } else if (script[i] === '`') {
          throw new Unsupported();
        } else {
          literal(script[i]!, true);
          i++;
        }
      }
      if (i >= script.length) throw new Unsupported();
      i++;
    } else if (c === '\\') {
      // A backslash before a newline continues the line; before anything else it quotes it.
      if (script[i + 1] !== '\n') literal(script[i + 1] ?? '', true);
      i += 2;
    } else if (c === '$') {
      word ??= [];
      i = expansion(script, i, false, word, literal);
    } else if ('|&<>()`{}'.includes(c)) {
      throw new Unsupported();
    } else {
      literal(c, false);
      i++;
    }
  }
  endWord();
  return tokens;
}

/** Reads the expansion at `script[i] === '$'`, appends it to `word`, returns the index after it. */
function expansion(script: string, i: number, quoted: boolean, word: Word, literal: (text: string, quoted: boolean) => void): number {
  const rest = script.slice(i);
  let m: RegExpMatchArray | null;
  if (rest.startsWith('$((')) {
    const end = script.indexOf('))', i + 3);
    if (end < 0) throw new Unsupported();
    word.push({ type: 'arithmetic', expression: script.slice(i + 3, end), quoted });
    return end + 2;
  }
  if (rest.startsWith('$(')) {
    const end = script.indexOf(')', i + 2);
    const command = end < 0 ? '' : script.slice(i + 2, end).trim();
    if (command !== 'date' && command !== 'hostname') throw new Unsupported();
    word.push({ type: 'substitution', command, quoted });
    return end + 1;
  }
  if ((m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest)) || (m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) {
    word.push({ type: 'variable', name: m[1]!, quoted });
    return i + m[0].length;
  }
  if (/^\$[?!#@*$0-9{-]/.test(rest)) throw new Unsupported();
  literal('$', quoted);
  return i + 1;
}

// --- commands ----------------------------------------------------------------------------------------

type Command =
  | { kind: 'echo'; args: Word[] }
  | { kind: 'sleep'; ms: number }
  | { kind: 'assign'; name: string; value: Word }
  | { kind: 'print'; what: 'date' | 'hostname' }
  | { kind: 'nothing' }
  | { kind: 'while' }
  | { kind: 'do'; then?: Command }
  | { kind: 'done' };

function parseScript(script: string): Command[] | undefined {
  try {
    const statements: Word[][] = [[]];
    for (const token of tokenize(script)) {
      if (token === ';') statements.push([]);
      else statements[statements.length - 1]!.push(token);
    }
    const commands: Command[] = [];
    for (const words of statements.filter((s) => s.length > 0)) {
      const parsed = parseCommand(words);
      if (!parsed) return undefined;
      commands.push(...parsed);
    }
    if (commands.length > maxCommands) return undefined;
    return commands;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** A word made only of unquoted literal text, as keywords and command names must be. */
function bare(word: Word | undefined): string | undefined {
  if (!word || word.length !== 1 || word[0]!.type !== 'literal') return undefined;
  return word[0].text;
}

function plain(word: Word): string | undefined {
  return word.every((p) => p.type === 'literal') ? word.map((p) => (p as { text: string }).text).join('') : undefined;
}

function parseCommand(words: Word[]): Command[] | undefined {
  const name = plain(words[0]!);
  const args = words.slice(1);
  switch (name?.includes('/') ? basename(name) : name) {
    case 'while': {
      const condition = args.map(bare);
      return condition.length === 1 && (condition[0] === 'true' || condition[0] === ':') ? [{ kind: 'while' }] : undefined;
    }
    case 'do': {
      if (args.length === 0) return [{ kind: 'do' }];
      const then = parseCommand(args);
      return then?.length === 1 && !['while', 'do', 'done'].includes(then[0]!.kind) ? [{ kind: 'do', then: then[0] }] : undefined;
    }
    case 'done':
      return args.length === 0 ? [{ kind: 'done' }] : undefined;
    case 'echo': {
      const rest = [...args];
      while (rest.length && ['-e', '-E'].includes(plain(rest[0]!) ?? '')) rest.shift();
      if (rest.length && plain(rest[0]!) === '-n') return undefined;
      return [{ kind: 'echo', args: rest }];
    }
    case 'sleep': {
      const ms = args.length === 1 ? sleepMs(plain(args[0]!) ?? '') : undefined;
      return ms === undefined ? undefined : [{ kind: 'sleep', ms }];
    }
    case 'date':
    case 'hostname':
      return args.length === 0 ? [{ kind: 'print', what: basename(name!) as 'date' | 'hostname' }] : undefined;
    case 'true':
    case ':':
      return [{ kind: 'nothing' }];
  }
  const assignment = words.length === 1 && words[0]![0]?.type === 'literal' ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(words[0][0].text) : null;
  if (assignment && !words[0]![0]!.quoted) {
    const first = words[0]![0] as { type: 'literal'; text: string; quoted: boolean };
    const value: Word = [{ ...first, text: first.text.slice(assignment[0].length) }, ...words[0]!.slice(1)];
    return [{ kind: 'assign', name: assignment[1]!, value }];
  }
  return undefined;
}

/** `5`, `0.5`, `2s`, `1m`, `infinity`: busybox sleep's forms, in ms. */
function sleepMs(text: string): number | undefined {
  if (text === 'infinity') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}

interface Script {
  prelude: Command[];
  body?: Command[];
}

/** Splits the commands into what runs once and the body of the endless loop (what follows it never runs). */
function splitLoop(commands: Command[]): Script | undefined {
  const at = commands.findIndex((c) => c.kind === 'while');
  const nested = (list: Command[]) => list.some((c) => c.kind === 'while' || c.kind === 'do' || c.kind === 'done');
  if (at < 0) return nested(commands) ? undefined : { prelude: commands };
  const prelude = commands.slice(0, at);
  const open = commands[at + 1];
  const end = commands.findIndex((c, i) => i > at && c.kind === 'done');
  if (open?.kind !== 'do' || end < 0) return undefined;
  const body = [...(open.then ? [open.then] : []), ...commands.slice(at + 2, end)];
  if (nested(prelude) || nested(body)) return undefined;
  return { prelude, body };
}

// --- running -----------------------------------------------------------------------------------------

type Vars = Record<string, string>;

interface Step {
  lines: LogLine[];
  vars: Vars;
  time: number;
}

function runScript(script: Script, initial: Vars, context: ShellContext, start: number): ShellRun | undefined {
  try {
    const prelude = execute(script.prelude, initial, start, context);
    if (!script.body || prelude.time === Infinity) return { prelude: prelude.lines };
    const periodMs = duration(script.body);
    if (periodMs < minimumPeriodMs || periodMs === Infinity) return undefined;
    // Iteration k's variables, without running the k - 1 before it: each must stay the same or move
    // by a constant step per iteration (counters), which three probe iterations establish.
    const loopStart = prelude.time;
    const probes = [prelude.vars];
    for (let k = 0; k < 3; k++) probes.push(execute(script.body, probes[k]!, loopStart + k * periodMs, context).vars);
    const steps = linearSteps(probes.slice(1));
    if (!steps) return undefined;
    const varsAt = (k: number): Vars => {
      if (k === 0) return prelude.vars;
      const vars = { ...probes[1]! };
      for (const [name, step] of Object.entries(steps)) vars[name] = String(BigInt(probes[1]![name]!) + BigInt(k - 1) * step);
      return vars;
    };
    return {
      prelude: prelude.lines,
      loop: { start: loopStart, periodMs, iteration: (k) => execute(script.body!, varsAt(k), loopStart + k * periodMs, context).lines },
    };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Per variable, the constant step between successive states; undefined when some variable is not linear. */
function linearSteps(states: Vars[]): Record<string, bigint> | undefined {
  const steps: Record<string, bigint> = {};
  const names = new Set(states.flatMap((s) => Object.keys(s)));
  for (const name of names) {
    const values = states.map((s) => s[name]);
    if (values.every((v) => v === values[0])) continue;
    if (!values.every((v) => v !== undefined && /^-?\d+$/.test(v))) return undefined;
    const numbers = values.map((v) => BigInt(v!));
    const step = numbers[1]! - numbers[0]!;
    if (numbers.some((n, i) => i > 0 && n - numbers[i - 1]! !== step)) return undefined;
    steps[name] = step;
  }
  return steps;
}

function duration(commands: Command[]): number {
  return commands.reduce((total, c) => total + commandMs + (c.kind === 'sleep' ? c.ms : 0), 0);
}

function execute(commands: Command[], vars: Vars, start: number, context: ShellContext): Step {
  const state = { ...vars };
  const lines: LogLine[] = [];
  let time = start;
  for (const command of commands) {
    switch (command.kind) {
      case 'echo':
        lines.push({ time, text: command.args.map((a) => expandWord(a, state, time, context)).join(' ') });
        break;
      case 'print':
        lines.push({ time, text: command.what === 'date' ? dateText(time) : context.hostname });
        break;
      case 'assign':
        state[command.name] = expandWord(command.value, state, time, context);
        break;
      case 'sleep':
        time += command.ms;
        break;
    }
    time += commandMs;
  }
  return { lines, vars: state, time };
}

function expandWord(word: Word, vars: Vars, time: number, context: ShellContext): string {
  return word
    .map((part) => {
      let value: string;
      switch (part.type) {
        case 'literal':
          return part.text;
        case 'variable':
          value = vars[part.name] ?? '';
          break;
        case 'substitution':
          value = part.command === 'date' ? dateText(time) : context.hostname;
          break;
        case 'arithmetic':
          value = String(arithmetic(part.expression, vars));
          break;
      }
      // Unquoted expansions are split into words, which echo joins again with single spaces.
      return part.quoted ? value : value.trim().split(/\s+/).join(' ');
    })
    .join('');
}

/** Integer arithmetic with + - * / % and parentheses over numbers and variables, as `$(( ))` does. */
export function arithmetic(expression: string, vars: Vars): bigint {
  const tokens = expression.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|[-+*/%()]|\S/g) ?? [];
  let i = 0;
  const value = (name: string): bigint => {
    const text = (vars[name] ?? '').trim() || '0';
    if (!/^-?\d+$/.test(text)) throw new Unsupported();
    return BigInt(text);
  };
  const primary = (): bigint => {
    const t = tokens[i++];
    if (t === undefined) throw new Unsupported();
    if (t === '(') {
      const v = sum();
      if (tokens[i++] !== ')') throw new Unsupported();
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (/^\d+$/.test(t)) return BigInt(t);
    if (/^\$?[A-Za-z_]/.test(t)) return value(t.replace(/^\$/, ''));
    throw new Unsupported();
  };
  const product = (): bigint => {
    let v = primary();
    while (tokens[i] === '*' || tokens[i] === '/' || tokens[i] === '%') {
      const op = tokens[i++];
      const r = primary();
      if (op !== '*' && r === 0n) throw new Unsupported();
      v = op === '*' ? v * r : op === '/' ? v / r : v % r;
    }
    return v;
  };
  const sum = (): bigint => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const result = sum();
  if (i !== tokens.length) throw new Unsupported();
  return result;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `date` in a container (UTC, C locale): `Tue Nov 24 19:23:07 UTC 2026`. */
export function dateText(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
