/**
 * The marked regions of a shared file: the lines a demo feature adds to a file
 * that stays. A region is a `demo:start <id>` comment line, the lines after it
 * and a `demo:end <id>` comment line; a `demo:line <id>` comment marks the one
 * line it ends. Any comment style works (`//`, `/* … *\/`, `{/* … *\/}`, `#`,
 * `<!-- … -->`, a ` * ` line inside a block comment); regions do not nest. Cutting removes the whole lines, markers
 * included.
 */

interface Region {
  id: string;
  /** 0-based index of the first line cut (the start marker, or the marked line). */
  from: number;
  /** 0-based index of the last line cut (the end marker, or the marked line). */
  to: number;
}

export interface ParsedRegions {
  regions: Region[];
  /** Malformed markers, `line N: …`, 1-based. */
  errors: string[];
}

/** A comment opener (at the start of the line, or after a space or a brace: not a URL's `//`), then `demo:`. */
const MARKER = /(?:(?:^|[\s{(])(?:\/\/|\/\*|<!--|#)|^\s*\*)\s*demo:(\S*)(?:[ \t]+(\S+))?/;
const KINDS = new Set(['start', 'end', 'line']);
const ID = /^[a-z0-9][a-z0-9-]*$/;

/** A marker's id, without what closes its comment (a star-slash, a brace, an arrow). */
function idOf(token: string | undefined): string {
  return (token ?? '').replace(/(\*\/\}?|-->)$/, '');
}

/** Every region of `text`, and what is wrong with its markers. */
export function parseRegions(text: string): ParsedRegions {
  const regions: Region[] = [];
  const errors: string[] = [];
  let open: { id: string; from: number } | undefined;
  text.split('\n').forEach((line, index) => {
    const match = MARKER.exec(line);
    if (!match) return;
    const [, kind = '', token] = match;
    const id = idOf(token);
    const at = `line ${index + 1}`;
    if (!KINDS.has(kind) || !ID.test(id)) {
      errors.push(`${at}: malformed marker "${match[0].trim()}" (expected demo:start, demo:end or demo:line and a feature id)`);
      return;
    }
    if (kind === 'start') {
      if (open) errors.push(`${at}: demo:start ${id} inside demo:start ${open.id} (line ${open.from + 1}): regions do not nest`);
      else open = { id, from: index };
    } else if (kind === 'end') {
      if (!open) errors.push(`${at}: demo:end ${id} without a demo:start ${id} before it`);
      else if (open.id !== id) errors.push(`${at}: demo:end ${id} closes demo:start ${open.id} (line ${open.from + 1})`);
      else {
        regions.push({ id, from: open.from, to: index });
        open = undefined;
      }
    } else if (open) {
      errors.push(`${at}: demo:line ${id} inside demo:start ${open.id} (line ${open.from + 1}): regions do not nest`);
    } else {
      regions.push({ id, from: index, to: index });
    }
  });
  if (open) errors.push(`line ${open.from + 1}: demo:start ${open.id} is never closed by a demo:end ${open.id}`);
  return { regions, errors };
}

const blank = (line: string | undefined) => line !== undefined && line.trim() === '';

/**
 * `text` without the regions whose id `cut` accepts. Where a cut leaves two
 * blank lines together (a paragraph or a block removed between two others),
 * one goes. Throws on malformed markers: parse first.
 */
export function cutRegions(text: string, cut: (id: string) => boolean): string {
  const { regions, errors } = parseRegions(text);
  if (errors.length > 0) throw new Error(`cannot cut regions: ${errors.join('; ')}`);
  const lines = text.split('\n');
  const kept: string[] = [];
  let next = 0;
  for (const region of regions.filter(({ id }) => cut(id))) {
    kept.push(...lines.slice(next, region.from));
    next = region.to + 1;
    const before = kept.length === 0 ? '' : kept[kept.length - 1];
    if (blank(before) && blank(lines[next])) next += 1;
  }
  kept.push(...lines.slice(next));
  return kept.join('\n');
}
