// RFC 8288 Link headers, read in linear time whatever the input. A regular expression with nested
// quantifiers (the first version of Hiboutik's parser) backtracks exponentially on near misses: an
// 86-byte header blocked the event loop for seconds. This walks the string once, every step
// consuming what it looks at, and callers bound the length first.

export interface LinkValue {
  target: string;
  /** The first rel parameter's value; later ones are ignored (RFC 8288 §3.3). */
  rel: string | undefined;
}

const TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
const isTokenChar = (c: string | undefined) =>
  c !== undefined &&
  ((c >= "0" && c <= "9") ||
    (c >= "a" && c <= "z") ||
    (c >= "A" && c <= "Z") ||
    TOKEN_SYMBOLS.includes(c));

/**
 * Splits a Link header into its links (RFC 8288 §3: `<URI>` then `; name[=value]` parameters, the
 * value a token or a quoted-string; links separated by commas). It walks the string once and every
 * step consumes what it looks at, so the time is linear in the length whatever the input — unlike a
 * regular expression with nested quantifiers, which backtracks exponentially on near misses.
 * Undefined when the header does not follow the grammar.
 */
export function parseLinks(value: string): LinkValue[] | undefined {
  const links: LinkValue[] = [];
  let i = 0;
  const skipWhitespace = () => {
    while (value[i] === " " || value[i] === "\t") i++;
  };
  const token = () => {
    const start = i;
    while (isTokenChar(value[i])) i++;
    return value.slice(start, i);
  };
  /** A quoted-string's content, unescaped; undefined when it is not closed. */
  const quotedString = () => {
    let text = "";
    for (i++; i < value.length; i++) {
      let c = value[i]!;
      if (c === '"') {
        i++;
        return text;
      }
      if (c === "\\") {
        if (++i === value.length) return undefined;
        c = value[i]!; // a quoted-pair: the next character, taken as it is
      }
      if (!isQuotableChar(c)) return undefined;
      text += c;
    }
    return undefined;
  };

  for (;;) {
    skipWhitespace();
    if (i === value.length) return links;
    if (value[i] === ",") {
      i++; // an empty list element, which recipients accept (RFC 9110 §5.6.1)
      continue;
    }
    if (value[i] !== "<") return undefined;
    const close = value.indexOf(">", i + 1);
    if (close < 0) return undefined;
    const link: LinkValue = { target: value.slice(i + 1, close), rel: undefined };
    if (!isUriText(link.target)) return undefined;
    i = close + 1;
    for (skipWhitespace(); value[i] === ";"; skipWhitespace()) {
      i++;
      skipWhitespace();
      const name = token();
      if (name === "") return undefined;
      skipWhitespace();
      let paramValue: string | undefined = "";
      if (value[i] === "=") {
        i++;
        skipWhitespace();
        const quoted = value[i] === '"';
        paramValue = quoted ? quotedString() : token();
        if (paramValue === undefined || (!quoted && paramValue === "")) return undefined;
      }
      if (link.rel === undefined && name.toLowerCase() === "rel") link.rel = paramValue;
    }
    if (i < value.length && value[i] !== ",") return undefined;
    links.push(link);
  }
}

/** Inside a quoted-string: tab, space and visible characters; never a control character. */
function isQuotableChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code === 0x09 || (code >= 0x20 && code !== 0x7f);
}

/**
 * A URI reference holds no white space or control characters. Checked here because the URL parser
 * silently drops tabs and newlines: `p=1<tab>2` would read as page 12.
 */
function isUriText(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code <= 0x20 || code === 0x7f) return false;
  }
  return true;
}
